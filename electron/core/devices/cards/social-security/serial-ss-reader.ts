import { DeviceError } from '../../errors';
import type { DeviceLogger } from '../../logger';
import type { SerialBinding } from '../../serial/binding-types';
import { SerialLink } from '../../serial/serial-link';
import type { ApduTransport } from '../apdu';
import type { CardReaderDriver, PollResult } from '../card-reader-driver';
import { apduRequest, CMD_RESET, encodeReaderRequest, readerReplyDecoder } from './reader-frame';
import { readSocialSecurityCard, type SsseReadOptions } from './ssse-reader';

export interface SerialSsReaderOptions extends SsseReadOptions {
  path: string;
  baudRate?: number;
  binding?: SerialBinding;
  logger?: DeviceLogger;
  /** Limit for one reader answer; 1500 ms by default. */
  timeoutMs?: number;
}

/** A contact card behind the serial reader: ApduTransport for the SSSE reader, reset for presence. */
class ReaderSlot implements ApduTransport {
  constructor(
    private readonly link: SerialLink,
    private readonly timeoutMs: number,
  ) {}

  /** Powers the card; resolves its ATR, or undefined when the slot is empty. */
  async reset(): Promise<Uint8Array | undefined> {
    const reply = await this.link.exchange(encodeReaderRequest(CMD_RESET), readerReplyDecoder(), this.timeoutMs);
    return reply.state === 0 && reply.data.length > 0 ? reply.data : undefined;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const reply = await this.link.exchange(apduRequest(apdu), readerReplyDecoder(), this.timeoutMs);
    if (reply.state !== 0) {
      throw new DeviceError('DEVICE_CARD_ERROR', '卡片无应答，请检查卡片是否插好', { detail: { readerState: reply.state } });
    }
    return reply.data;
  }
}

/** The social security card reader on a serial port (framing in reader-frame.ts). */
export function createSerialSsReaderDriver(options: SerialSsReaderOptions): CardReaderDriver {
  const link = new SerialLink({ path: options.path, baudRate: options.baudRate ?? 9600, binding: options.binding, logger: options.logger });
  const slot = new ReaderSlot(link, options.timeoutMs ?? 1500);
  return {
    kind: 'social_security',
    detectsRemoval: true,
    connect: () => link.open(),
    disconnect: () => link.close(),
    onDisconnect: (listener) => link.on('disconnect', listener),
    async poll(): Promise<PollResult> {
      const atr = await slot.reset();
      if (!atr) return { present: false };
      return { present: true, read: () => readSocialSecurityCard(slot, options) };
    },
  };
}
