import { applyLineFault, FaultQueue, type LineFault } from '../../serial/line-faults';
import { SimulatedSerialPort } from '../../serial/simulated-serial-port';
import { CMD_APDU, CMD_RESET, encodeReaderReply, readerRequestDecoder, STATE_NO_CARD, type ReaderRequest } from './reader-frame';
import type { SimulatedSocialSecurityCard } from './simulated-ss-card';

/** STATE for a command the reader does not know (assumed; the source lists only 00 and 02). */
const STATE_BAD_COMMAND = 0x01;

/**
 * The serial social security card reader with a card slot, speaking reader-frame.ts over serialport's
 * MockBinding. Cards go in and out; the next answers can be garbled, delayed or fragmented on demand.
 */
export class SimulatedSsReader {
  readonly port: SimulatedSerialPort;
  private card: SimulatedSocialSecurityCard | undefined;
  private readonly decoder = readerRequestDecoder();
  private readonly faults = new FaultQueue();
  private readonly states: number[] = [];

  constructor(path: string) {
    this.port = new SimulatedSerialPort(path, (bytes) => this.onHostBytes(bytes));
  }

  insert(card: SimulatedSocialSecurityCard): void {
    this.card = card;
  }

  remove(): void {
    this.card = undefined;
  }

  /** Garbles the next answer, or the next answer to `command` (CMD_RESET, CMD_APDU). */
  failNext(fault: LineFault, command?: number): void {
    this.faults.push(fault, command);
  }

  /** Garbles the answer to the next command of a card read (an APDU), not to the presence poll. */
  failNextRead(fault: LineFault): void {
    this.failNext(fault, CMD_APDU);
  }

  /** Makes the next answer a well-formed frame with this error STATE. */
  failNextWithState(state: number): void {
    this.states.push(state);
  }

  private onHostBytes(bytes: Uint8Array): void {
    for (const event of this.decoder.push(bytes)) {
      // A garbled request gets no answer: the host times out, as with a real reader.
      if (event.type !== 'frame') continue;
      const reply = this.answer(event.frame);
      void this.port.send(applyLineFault(reply, this.faults.take(event.frame.command), reply.length - 2));
    }
  }

  private answer(request: ReaderRequest): Uint8Array {
    const state = this.states.shift();
    if (state !== undefined) return encodeReaderReply(state);
    if (request.command !== CMD_RESET && request.command !== CMD_APDU) return encodeReaderReply(STATE_BAD_COMMAND);
    if (!this.card) return encodeReaderReply(STATE_NO_CARD);
    if (request.command === CMD_RESET) return encodeReaderReply(0, this.card.powerOn());
    const length = request.data[1] ?? 0;
    return encodeReaderReply(0, this.card.respond(request.data.subarray(2, 2 + length)));
  }
}
