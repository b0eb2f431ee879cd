import { describe, expect, it } from 'vitest';

import { toHex } from '../../bytes';
import { demoPeople, type DemoPerson } from '../../demo-people';
import { exchangeApdu, externalAuthenticate, getChallenge, readRecord, statusWordError, SW_OK, type ApduTransport } from '../apdu';
import { simulatedPsamCryptogram, SimulatedSocialSecurityCard } from './simulated-ss-card';
import { readSocialSecurityCard } from './ssse-reader';

function person(generation: 2 | 3): DemoPerson {
  const found = demoPeople.find((p) => p.socialSecurity?.generation === generation);
  if (!found) throw new Error(`no generation ${generation} demo person`);
  return found;
}

/** What a PSAM would do for a 3.0 card, against the simulator's key. */
async function simulatedPsam(transport: ApduTransport): Promise<void> {
  const challenge = await exchangeApdu(transport, getChallenge(8));
  const { sw } = await exchangeApdu(transport, externalAuthenticate(0x0a, simulatedPsamCryptogram(challenge.data)));
  if (sw !== SW_OK) throw statusWordError(sw);
}

describe('readSocialSecurityCard against a simulated generation 2 card', () => {
  const holder = person(2);

  it('reads the cardholder and card data', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    const read = await readSocialSecurityCard(card);
    expect(read).toMatchObject({
      kind: 'social_security',
      source: 'apdu',
      idNumber: holder.idNumber,
      name: holder.name,
      sex: holder.sex,
      birthDate: holder.birthDate,
      ethnicityCode: '01',
      birthPlace: holder.idNumber.slice(0, 6),
      cardNumber: holder.socialSecurity?.cardNumber,
      regionCode: holder.idNumber.slice(0, 6),
      specVersion: '2.00',
      issueDate: holder.socialSecurity?.issueDate,
      expiryDate: holder.socialSecurity?.expiryDate,
    });
    expect(read.cardIdentifier).toMatch(new RegExp(`^${holder.idNumber.slice(0, 6)}D156000005[0-9A-F]{16}$`));
  });

  it('selects SSSE with exactly the bytes of hardware.md, then EF05 and EF06', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    await readSocialSecurityCard(card);
    const sent = card.received.map((apdu) => toHex(apdu, ''));
    expect(sent[0]).toBe('00A404000F7378312E73682EC9E7BBE1B1A3D5CF');
    expect(sent).toContain('00A4020002EF05');
    expect(sent).toContain('00A4020002EF06');
    expect(sent).toContain('00B2010414'); // EF06 record 1, 社会保障号码: Le = 18 + 2
  });

  it('fetches the FCI over several GET RESPONSE rounds when the card hands it out in pieces', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder, { responseChunk: 8 });
    await readSocialSecurityCard(card);
    const getResponses = card.received.filter((apdu) => apdu[1] === 0xc0);
    expect(getResponses.length).toBeGreaterThanOrEqual(4);
  });

  it('joins 姓名 and 姓名扩展 for a name longer than 30 bytes, and decodes 䶮 and 𠮷', async () => {
    for (const name of ['买买提艾力·阿不都热合曼·吐尔逊', '刘䶮', '杨𠮷']) {
      const card = SimulatedSocialSecurityCard.fromPerson({ ...holder, name });
      await expect(readSocialSecurityCard(card)).resolves.toMatchObject({ name });
    }
  });

  it('fails with the card status word when the card misbehaves', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    card.injectStatus(0x6f00);
    await expect(readSocialSecurityCard(card)).rejects.toMatchObject({ code: 'DEVICE_CARD_ERROR', detail: { sw: '6F00' } });
  });

  it('refuses a card whose data does not add up (wrong check character) rather than returning a person', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson({
      ...holder,
      idNumber: holder.idNumber.slice(0, 17) + (holder.idNumber[17] === '0' ? '1' : '0'),
    });
    await expect(readSocialSecurityCard(card)).rejects.toMatchObject({ code: 'DEVICE_BAD_DATA' });
  });

  it('says plainly when the card has no social security application', async () => {
    const notAnSsCard: ApduTransport = { transmit: async () => Uint8Array.of(0x6a, 0x82) };
    await expect(readSocialSecurityCard(notAnSsCard)).rejects.toMatchObject({
      code: 'DEVICE_UNSUPPORTED_CARD',
      message: '这张卡不是社会保障卡（未找到社保应用）',
    });
  });
});

describe('readSocialSecurityCard against a simulated generation 3 card', () => {
  const holder = person(3);

  it('fails with a typed Chinese error without external authentication', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    const failure = readSocialSecurityCard(card);
    await expect(failure).rejects.toMatchObject({ code: 'DEVICE_AUTH_REQUIRED' });
    await expect(failure).rejects.toThrow(/外部认证/);
  });

  it('reads once the PSAM hook has authenticated', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    const read = await readSocialSecurityCard(card, { externalAuthenticate: simulatedPsam });
    expect(read).toMatchObject({ idNumber: holder.idNumber, name: holder.name, specVersion: '3.00' });
    const ins = card.received.map((apdu) => apdu[1]);
    // Authentication happens after EF05 and before EF06 is selected.
    expect(ins.indexOf(0x82)).toBeLessThan(card.received.findIndex((a) => toHex(a, '') === '00A4020002EF06'));
  });

  it('reports a failed authentication as a card error', async () => {
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    const wrongKey = async (t: ApduTransport) => {
      await exchangeApdu(t, getChallenge(8));
      const { sw } = await exchangeApdu(t, externalAuthenticate(0x0a, new Uint8Array(8)));
      if (sw !== SW_OK) throw statusWordError(sw);
    };
    await expect(readSocialSecurityCard(card, { externalAuthenticate: wrongKey })).rejects.toMatchObject({
      code: 'DEVICE_CARD_ERROR',
      detail: { sw: '6300' },
    });
  });
});

describe('SimulatedSocialSecurityCard at the APDU level', () => {
  const card = SimulatedSocialSecurityCard.fromPerson(person(2));
  const send = (hex: string) => toHex(card.respond(Buffer.from(hex, 'hex')), '');

  it('answers like a T=0 card: 61xx, 6Cxx, records by number or by tag, and error status words', () => {
    expect(send('00A404000F7378312E73682EC9E7BBE1B1A3D5CF')).toBe('611B');
    expect(send('00C000001B').slice(0, 4)).toBe('6F19');
    expect(send('00B2010400')).toBe('6986'); // no EF selected yet
    expect(send('00A4020002EF06')).toBe('9000');
    expect(send('00B2040400')).toBe('6C03'); // 性别: tag, length, one byte
    expect(send('00B2040403')).toBe('0A01' + '31' + '9000');
    expect(send('00B20A0003')).toBe('0A01' + '31' + '9000'); // P2 = 00: P1 is the tag
    expect(send('00B2090400')).toBe('6A83');
    expect(send('00A4020002EF09')).toBe('6A82');
    expect(send('80B2010414')).toBe('6E00');
    expect(send('00CA000000')).toBe('6D00');
  });

  it('guards EF06 of a 3.0 card with 6982 until GET CHALLENGE and EXTERNAL AUTHENTICATE succeed', () => {
    const gen3 = SimulatedSocialSecurityCard.fromPerson(person(3));
    const sw = (apdu: Uint8Array) => toHex(gen3.respond(apdu), '').slice(-4);
    expect(sw(externalAuthenticate(0x0a, new Uint8Array(8)))).toBe('6985'); // no challenge yet
    gen3.respond(Buffer.from('00A404000F7378312E73682EC9E7BBE1B1A3D5CF', 'hex'));
    gen3.respond(Buffer.from('00A4020002EF06', 'hex'));
    expect(sw(readRecord(1, 0x14))).toBe('6982');
    const challenge = gen3.respond(getChallenge(8)).subarray(0, 8);
    expect(sw(externalAuthenticate(0x0a, simulatedPsamCryptogram(challenge)))).toBe('9000');
    expect(sw(readRecord(1, 0x14))).toBe('9000');
    gen3.powerOn();
    gen3.respond(Buffer.from('00A404000F7378312E73682EC9E7BBE1B1A3D5CF', 'hex'));
    gen3.respond(Buffer.from('00A4020002EF06', 'hex'));
    expect(sw(readRecord(1, 0x14))).toBe('6982'); // a reset forgets the authentication
  });
});
