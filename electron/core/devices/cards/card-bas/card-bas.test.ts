import { describe, expect, it } from 'vitest';

import { demoPeople } from '../../demo-people';
import { cardBasError, cardBasToCardRead, parseCardBas } from './card-bas';
import { createCardBasDriver } from './card-bas-driver';
import { SimulatedCardBasLibrary } from './simulated-card-bas';

describe('iReadCardBas output', () => {
  it('parses the example of hardware.md §2, whose personal fields are empty on a 3.0 card', () => {
    const fields = parseCardBas('411600|||411600D156000005C38275EEFC9B9648||008C544CB386844116018593CA|3.00|20211203|20311202|');
    expect(fields).toMatchObject({
      regionCode: '411600',
      idNumber: '',
      cardIdentifier: '411600D156000005C38275EEFC9B9648',
      atrHistory: '008C544CB386844116018593CA',
      specVersion: '3.00',
      issueDate: '20211203',
      expiryDate: '20311202',
      terminalDevice: '',
    });
    expect(() => cardBasToCardRead(fields)).toThrow(expect.objectContaining({ code: 'DEVICE_AUTH_REQUIRED' }));
  });

  it('turns a complete output into a card read, with sex and birth date from the ID number', () => {
    const read = cardBasToCardRead(
      parseCardBas(
        '330302|33030219850412013X|C33000013|330302D156000005C38275EEFC9B9648|张堃|008C544C|2.00|20211203|20311202|000000000000|00037261202007000128|',
      ),
    );
    expect(read).toMatchObject({
      kind: 'social_security',
      source: 'card_bas',
      idNumber: '33030219850412013X',
      name: '张堃',
      sex: 'male',
      birthDate: '1985-04-12',
      cardNumber: 'C33000013',
      regionCode: '330302',
      issueDate: '2021-12-03',
      expiryDate: '2031-12-02',
    });
  });

  it('refuses output with the wrong number of fields, or an invalid ID number', () => {
    expect(() => parseCardBas('330302|33030219850412013X|C33000013|')).toThrow(expect.objectContaining({ code: 'DEVICE_BAD_FRAME' }));
    expect(() =>
      cardBasToCardRead(parseCardBas('330302|330302198504120131|C33000013|330302D156000005C38275EEFC9B9648|张堃||2.00|||||')),
    ).toThrow(expect.objectContaining({ code: 'DEVICE_BAD_DATA' }));
  });

  it('maps return codes: PSAM/HSM codes, card status words, lost reader', () => {
    expect(cardBasError(-2203)).toMatchObject({ code: 'DEVICE_AUTH_REQUIRED', detail: { returnCode: -2203 } });
    expect(cardBasError(-27010)).toMatchObject({ code: 'DEVICE_AUTH_REQUIRED', detail: { sw: '6982' } });
    expect(cardBasError(-27266)).toMatchObject({ code: 'DEVICE_CARD_ERROR', detail: { sw: '6A82' } });
    expect(cardBasError(-25536)).toMatchObject({ message: '密码错误，还可尝试0次' });
    expect(cardBasError(-11)).toMatchObject({ code: 'DEVICE_OFFLINE', message: '读卡器连接错误' });
    expect(cardBasError(-4)).toMatchObject({ code: 'DEVICE_CARD_ERROR', message: '卡片无应答' });
  });
});

describe('iReadCardBas driver with the simulated library', () => {
  const gen2 = demoPeople.find((p) => p.socialSecurity?.generation === 2)!;
  const gen3 = demoPeople.find((p) => p.socialSecurity?.generation === 3)!;

  it('reports no card, then reads an inserted one', async () => {
    const library = new SimulatedCardBasLibrary();
    const driver = createCardBasDriver({ readCardBas: library.readCardBas });
    await expect(driver.poll()).resolves.toEqual({ present: false });
    library.insert(gen2);
    const result = await driver.poll();
    if (!result.present) throw new Error('card not seen');
    await expect(result.read()).resolves.toMatchObject({ idNumber: gen2.idNumber, name: gen2.name, specVersion: '2.00' });
  });

  it('sees a 3.0 card but fails its read with DEVICE_AUTH_REQUIRED when the PSAM lacks RKSSSE', async () => {
    const library = new SimulatedCardBasLibrary();
    library.insert(gen3);
    const driver = createCardBasDriver({ readCardBas: library.readCardBas });
    const result = await driver.poll();
    expect(result.present).toBe(true);
    if (result.present) await expect(result.read()).rejects.toMatchObject({ code: 'DEVICE_AUTH_REQUIRED' });
    library.psamHasRkssse = true;
    const again = await driver.poll();
    if (again.present) await expect(again.read()).resolves.toMatchObject({ idNumber: gen3.idNumber });
  });

  it('throws from poll when the library has lost the reader', async () => {
    const library = new SimulatedCardBasLibrary();
    library.failNext(-11);
    await expect(createCardBasDriver({ readCardBas: library.readCardBas }).poll()).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
  });
});
