import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromHex, toHex } from '../../bytes';
import type { DecodeEvent } from '../../serial/frame-decoder';
import {
  apduRequest,
  CMD_APDU,
  CMD_RESET,
  encodeReaderReply,
  encodeReaderRequest,
  readerReplyDecoder,
  readerRequestDecoder,
  type ReaderReply,
} from './reader-frame';

function frames<F>(events: DecodeEvent<F>[]): F[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
}

describe('reader framing: vectors from the public source', () => {
  it('encodes the reset command as 09 01 50 50 0D', () => {
    expect(toHex(encodeReaderRequest(CMD_RESET))).toBe('09 01 50 50 0D');
  });

  it('decodes the documented reset answer with its 16-byte ATR and BCC BF', () => {
    const bytes = fromHex('09 00 10 10 78 80 90 02 20 90 00 00 00 00 00 A6 A9 6E 14 BF 0D');
    const [reply] = frames(readerReplyDecoder().push(bytes));
    expect(reply?.state).toBe(0);
    expect(toHex(reply?.data ?? new Uint8Array())).toBe('10 78 80 90 02 20 90 00 00 00 00 00 A6 A9 6E 14');
  });

  it('decodes the documented failed reset 09 02 00 00 0D', () => {
    expect(frames(readerReplyDecoder().push(fromHex('09 02 00 00 0D')))).toEqual([{ state: 2, data: new Uint8Array(0) }]);
  });

  it('reproduces the documented contactless APDU frame byte for byte', () => {
    expect(toHex(encodeReaderRequest(CMD_APDU, fromHex('07 07 0A 00 00 84 00 00 04')), '')).toBe('090A5107070A000084000004DB0D');
    const [request] = frames(readerRequestDecoder().push(fromHex('090A5107070A0000A4000000FF0D')));
    expect(request).toEqual({ command: CMD_APDU, data: fromHex('07 07 0A 00 00 A4 00 00 00') });
  });

  it('wraps a contact APDU as 00, length, APDU (BCC = 51^00^05^00^B2^01^04^14 = F7)', () => {
    expect(toHex(apduRequest(fromHex('00 B2 01 04 14')))).toBe('09 08 51 00 05 00 B2 01 04 14 F7 0D');
  });
});

describe('reader framing: decoder', () => {
  const reply = encodeReaderReply(0, fromHex('08 12 31 32 33 90 00'));

  it('assembles a frame delivered one byte at a time, after leading noise', () => {
    const decoder = readerReplyDecoder();
    const out: ReaderReply[] = [];
    for (const byte of [0xff, 0x00, 0x42, ...reply]) out.push(...frames(decoder.push(Uint8Array.of(byte))));
    expect(out).toEqual([{ state: 0, data: fromHex('08 12 31 32 33 90 00') }]);
    expect(decoder.pending).toBe(0);
  });

  it('reports a bad BCC as corrupt and still finds the next good frame', () => {
    const bad = Uint8Array.from(reply);
    bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 0x01;
    const events = readerReplyDecoder().push(Uint8Array.from([...bad, ...reply]));
    expect(events[0]).toMatchObject({ type: 'corrupt', reason: 'BCC mismatch' });
    expect(frames(events)).toHaveLength(1);
  });

  it('never throws and only emits frames whose checks pass, on random bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 12 }), (bytes, cuts) => {
        const decoder = readerReplyDecoder();
        let offset = 0;
        const got: ReaderReply[] = [];
        for (const size of [...cuts, bytes.length]) {
          got.push(...frames(decoder.push(bytes.subarray(offset, offset + size))));
          offset += size;
        }
        // Every emitted frame re-encodes to bytes that really were in the input.
        const input = Buffer.from(bytes);
        for (const f of got) expect(input.includes(Buffer.from(encodeReaderReply(f.state, f.data)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every single-byte corruption of the data or BCC (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, flip) => {
        const frame = encodeReaderReply(0, data);
        const index = 3 + (at % (data.length + 1)); // a data byte or the BCC
        const corrupted = Uint8Array.from(frame);
        corrupted[index] = (corrupted[index] ?? 0) ^ flip;
        expect(frames(readerReplyDecoder().push(corrupted))).toEqual([]);
      }),
    );
  });
});
