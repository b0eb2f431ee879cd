import { describe, expect, it } from 'vitest';

import { fromHex, toHex } from '../bytes';
import { exchangeApdu, statusWordError, withLe, type ApduTransport } from './apdu';

/** A card that answers from a script and records what it was sent. */
function scripted(answers: string[]): ApduTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async transmit(apdu) {
      sent.push(toHex(apdu, ''));
      const next = answers.shift();
      if (next === undefined) throw new Error('script exhausted');
      return fromHex(next);
    },
  };
}

describe('withLe', () => {
  it('sets Le for each APDU case', () => {
    expect(toHex(withLe(fromHex('00B2010400'), 0x14), '')).toBe('00B2010414'); // case 2: replaced
    expect(toHex(withLe(fromHex('00C00000'), 0x10), '')).toBe('00C0000010'); // case 1: appended
    expect(toHex(withLe(fromHex('00A4020002EF05'), 0x20), '')).toBe('00A4020002EF0520'); // case 3: appended
    expect(toHex(withLe(fromHex('00A4020002EF0500'), 0x20), '')).toBe('00A4020002EF0520'); // case 4: replaced
  });
});

describe('exchangeApdu (T=0)', () => {
  it('resends with the Le the card asks for after 6Cxx', async () => {
    const card = scripted(['6C14', '0812' + '31'.repeat(18) + '9000']);
    const response = await exchangeApdu(card, fromHex('00B2010400'));
    expect(card.sent).toEqual(['00B2010400', '00B2010414']);
    expect(response.sw).toBe(0x9000);
    expect(response.data.length).toBe(0x14);
  });

  it('collects data over several GET RESPONSE rounds after 61xx', async () => {
    const card = scripted(['6104', 'AABBCCDD6102', 'EEFF9000']);
    const response = await exchangeApdu(card, fromHex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF'));
    expect(card.sent.slice(1)).toEqual(['00C0000004', '00C0000002']);
    expect(toHex(response.data, '')).toBe('AABBCCDDEEFF');
    expect(response.sw).toBe(0x9000);
  });

  it('gives up on a card that announces more data forever', async () => {
    const card: ApduTransport = { transmit: async () => fromHex('00016101') };
    await expect(exchangeApdu(card, fromHex('00C0000001'))).rejects.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
  });

  it('refuses an answer shorter than a status word', async () => {
    await expect(exchangeApdu(scripted(['90']), fromHex('00B2010400'))).rejects.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
  });
});

describe('statusWordError', () => {
  it('turns 6982 into DEVICE_AUTH_REQUIRED and others into Chinese card errors', () => {
    expect(statusWordError(0x6982)).toMatchObject({ code: 'DEVICE_AUTH_REQUIRED' });
    expect(statusWordError(0x63c2)).toMatchObject({ code: 'DEVICE_CARD_ERROR', message: '密码错误，还可尝试2次' });
    expect(statusWordError(0x6a83)).toMatchObject({ message: '卡片中未找到所需记录', detail: { sw: '6A83' } });
    expect(statusWordError(0x6f00).message).toBe('读卡失败（状态字 6F00）');
  });
});
