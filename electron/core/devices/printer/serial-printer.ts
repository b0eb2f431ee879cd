import type { SerialLink } from '../serial/serial-link';
import type { DecodeEvent, FrameDecoder } from '../serial/frame-decoder';
import { statusRequest } from './escpos';
import type { NtpInterface } from './ntp-transport';
import { isStatusByte, type StatusAsker } from './status';

/** A DLE EOT answer is one byte with the fixed bits; anything else on the line is skipped. */
class StatusByteDecoder implements FrameDecoder<number> {
  readonly pending = 0;

  push(chunk: Uint8Array): DecodeEvent<number>[] {
    return Array.from(chunk)
      .filter(isStatusByte)
      .map((frame) => ({ type: 'frame', frame }));
  }

  reset(): void {}
}

/** A serial printer as a node-thermal-printer custom interface, plus DLE EOT on the same line. */
export class SerialPrinterInterface implements NtpInterface {
  constructor(
    private readonly link: SerialLink,
    private readonly statusTimeoutMs: number,
  ) {}

  async isPrinterConnected(): Promise<boolean> {
    try {
      await this.link.open();
      return true;
    } catch {
      return false;
    }
  }

  async execute(buffer: Buffer): Promise<unknown> {
    await this.link.open();
    await this.link.write(buffer);
    return 'Print done';
  }

  readonly ask: StatusAsker = async (n) => {
    try {
      await this.link.open();
      return await this.link.exchange(statusRequest(n), new StatusByteDecoder(), this.statusTimeoutMs);
    } catch {
      return undefined;
    }
  };

  close(): Promise<void> {
    return this.link.close();
  }
}
