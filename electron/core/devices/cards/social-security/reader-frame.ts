import { concatBytes, xorBytes } from '../../bytes';
import type { DecodeEvent, FrameDecoder } from '../../serial/frame-decoder';

// Serial framing of the social security card reader, after scheme D of hardware.md §4
// (biz.doczj.com/doc/3814535790.html):
//   host → reader  09 LEN CMD DATA… BCC 0D         LEN = |CMD DATA|, BCC = XOR of CMD and DATA
//   reader → host  09 STATE LEN DATA… BCC 0D       STATE 00 = success, BCC = XOR of DATA
// CMD 50 resets (powers) the card and answers its ATR; CMD 51 carries an APDU. The source's 51 example
// wraps a contactless ISO 14443-4 block (PCB, CID); for the contact slot we send DATA = 00 (reserved),
// length, APDU, and the reader answers the card's response with SW1 SW2.

const STX = 0x09;
const ETX = 0x0d;
export const CMD_RESET = 0x50;
export const CMD_APDU = 0x51;
/** STATE of a failed reset, i.e. no card (from the source's example). */
export const STATE_NO_CARD = 0x02;

export interface ReaderRequest {
  command: number;
  data: Uint8Array;
}

export interface ReaderReply {
  state: number;
  data: Uint8Array;
}

function tooLong(length: number): RangeError {
  return new RangeError(`frame payload of ${length} bytes exceeds the 1-byte length`);
}

export function encodeReaderRequest(command: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const payload = concatBytes([Uint8Array.of(command), data]);
  if (payload.length > 255) throw tooLong(payload.length);
  return concatBytes([Uint8Array.of(STX, payload.length), payload, Uint8Array.of(xorBytes(payload), ETX)]);
}

export function encodeReaderReply(state: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (data.length > 255) throw tooLong(data.length);
  return concatBytes([Uint8Array.of(STX, state, data.length), data, Uint8Array.of(xorBytes(data), ETX)]);
}

export function apduRequest(apdu: Uint8Array): Uint8Array {
  return encodeReaderRequest(CMD_APDU, concatBytes([Uint8Array.of(0x00, apdu.length), apdu]));
}

/**
 * Incremental decoder for one direction. `headerLength` is 2 for requests (STX LEN) and 3 for
 * replies (STX STATE LEN); the length byte is the header's last byte.
 */
class SchemeDDecoder<F> implements FrameDecoder<F> {
  private held: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly headerLength: number,
    private readonly toFrame: (header: Uint8Array, payload: Uint8Array) => F,
  ) {}

  get pending(): number {
    return this.held.length;
  }

  reset(): void {
    this.held = new Uint8Array(0);
  }

  push(chunk: Uint8Array): DecodeEvent<F>[] {
    const events: DecodeEvent<F>[] = [];
    let buf = concatBytes([this.held, chunk]);
    for (;;) {
      const start = buf.indexOf(STX);
      if (start < 0) {
        buf = new Uint8Array(0);
        break;
      }
      buf = buf.subarray(start);
      if (buf.length < this.headerLength) break;
      const length = buf[this.headerLength - 1] ?? 0;
      const total = this.headerLength + length + 2;
      if (buf.length < total) break;
      const payload = buf.subarray(this.headerLength, this.headerLength + length);
      if (buf[total - 1] !== ETX || buf[total - 2] !== xorBytes(payload)) {
        events.push({ type: 'corrupt', reason: buf[total - 1] !== ETX ? 'missing ETX' : 'BCC mismatch', bytes: buf.slice(0, total) });
        // Resynchronise on the next STX after this one.
        buf = buf.subarray(1);
        continue;
      }
      events.push({ type: 'frame', frame: this.toFrame(buf.slice(0, this.headerLength), payload.slice()) });
      buf = buf.subarray(total);
    }
    this.held = buf.slice();
    return events;
  }
}

export function readerReplyDecoder(): FrameDecoder<ReaderReply> {
  return new SchemeDDecoder(3, (header, data) => ({ state: header[1] ?? 0, data }));
}

export function readerRequestDecoder(): FrameDecoder<ReaderRequest> {
  return new SchemeDDecoder(2, (_header, payload) => ({ command: payload[0] ?? 0, data: payload.subarray(1) }));
}
