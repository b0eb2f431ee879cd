import { DeviceError } from '../../errors';
import type { DeviceLogger } from '../../logger';
import type { SerialBinding } from '../../serial/binding-types';
import { SerialLink } from '../../serial/serial-link';
import type { ResidentIdCardRead } from '../card-read';
import type { CardReaderDriver, PollResult } from '../card-reader-driver';
import { ID_TEXT_LENGTH, idTextToCardRead, parseIdText } from './id-text';
import {
  encodeSamCommand,
  FIND_CARD,
  parseSamReply,
  READ_TEXT_PHOTO,
  SAM_STATUS,
  SamFrameDecoder,
  SELECT_CARD,
  SW3,
  SW3_MESSAGES,
  type SamReply,
} from './sam-frame';

export interface SamReaderOptions {
  path: string;
  /** 115200 by default. */
  baudRate?: number;
  binding?: SerialBinding;
  logger?: DeviceLogger;
  /** Limit for one module answer; the 1295-byte read takes ~0.2 s at 115200 baud. 2000 ms by default. */
  timeoutMs?: number;
}

function samError(sw3: number): DeviceError {
  const hex = sw3.toString(16).toUpperCase().padStart(2, '0');
  return new DeviceError('DEVICE_CARD_ERROR', SW3_MESSAGES[sw3] ?? `读身份证失败（状态码 ${hex}）`, { detail: { sw3: hex } });
}

/** 30 01 answer data: text length (2, BE), photo length (2, BE), text, photo. */
function textBlockOf(reply: SamReply): Uint8Array {
  const { data } = reply;
  const textLength = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
  const photoLength = ((data[2] ?? 0) << 8) | (data[3] ?? 0);
  if (textLength !== ID_TEXT_LENGTH || data.length !== 4 + textLength + photoLength) {
    throw new DeviceError('DEVICE_BAD_FRAME', '身份证数据长度异常，请重新读卡', {
      detail: { textLength, photoLength, received: data.length },
    });
  }
  return data.slice(4, 4 + textLength);
}

/** The card in a 30 01 (read text and photo) answer: text block checked, parsed and verified. */
export function cardFromReadReply(reply: SamReply): ResidentIdCardRead {
  return idTextToCardRead(parseIdText(textBlockOf(reply)));
}

/** The resident ID card SAM module on a serial port: find, select, read text. */
export function createSamReaderDriver(options: SamReaderOptions): CardReaderDriver {
  const link = new SerialLink({
    path: options.path,
    baudRate: options.baudRate ?? 115200,
    binding: options.binding,
    logger: options.logger,
  });
  const timeoutMs = options.timeoutMs ?? 2000;
  const command = async (cmd: Uint8Array): Promise<SamReply> =>
    parseSamReply(await link.exchange(encodeSamCommand(cmd), new SamFrameDecoder(), timeoutMs));
  const expect = async (cmd: Uint8Array, sw3: number): Promise<SamReply> => {
    const reply = await command(cmd);
    if (reply.sw3 !== sw3) throw samError(reply.sw3);
    return reply;
  };

  const read = async (): Promise<ResidentIdCardRead> => {
    await expect(SELECT_CARD, SW3.OK);
    return cardFromReadReply(await expect(READ_TEXT_PHOTO, SW3.OK));
  };

  return {
    kind: 'resident_id',
    detectsRemoval: false,
    async connect() {
      await link.open();
      try {
        // The port can open with nothing behind it; the module must answer its self-check.
        await expect(SAM_STATUS, SW3.OK);
      } catch (error) {
        await link.close();
        throw error;
      }
    },
    disconnect: () => link.close(),
    onDisconnect: (listener) => link.on('disconnect', listener),
    async poll(): Promise<PollResult> {
      const reply = await command(FIND_CARD);
      if (reply.sw3 === SW3.FIND_FAILED) return { present: false };
      if (reply.sw3 !== SW3.FIND_OK) throw samError(reply.sw3);
      return { present: true, read };
    },
  };
}
