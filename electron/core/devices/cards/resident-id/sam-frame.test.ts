import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromHex, toHex } from '../../bytes';
import type { DecodeEvent } from '../../serial/frame-decoder';
import {
  encodeSamCommand,
  encodeSamReply,
  FIND_CARD,
  parseSamReply,
  READ_TEXT_PHOTO,
  SAM_ID,
  SAM_RESET,
  SAM_STATUS,
  SamFrameDecoder,
  SELECT_CARD,
  SW3,
} from './sam-frame';

function frames(events: DecodeEvent<Uint8Array>[]): Uint8Array[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
}

describe('SAM frames: the vectors of hardware.md §3', () => {
  it('encodes the commands byte for byte', () => {
    expect(toHex(encodeSamCommand(SAM_RESET))).toBe('AA AA AA 96 69 00 03 10 FF EC');
    expect(toHex(encodeSamCommand(SAM_STATUS))).toBe('AA AA AA 96 69 00 03 11 FF ED');
    expect(toHex(encodeSamCommand(SAM_ID))).toBe('AA AA AA 96 69 00 03 12 FF EE');
    expect(toHex(encodeSamCommand(FIND_CARD))).toBe('AA AA AA 96 69 00 03 20 01 22');
    expect(toHex(encodeSamCommand(SELECT_CARD))).toBe('AA AA AA 96 69 00 03 20 02 21');
    expect(toHex(encodeSamCommand(READ_TEXT_PHOTO))).toBe('AA AA AA 96 69 00 03 30 01 32');
  });

  it('encodes the find and error answers byte for byte', () => {
    expect(toHex(encodeSamReply(SW3.FIND_OK, new Uint8Array(4)))).toBe('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');
    expect(toHex(encodeSamReply(SW3.OK, new Uint8Array(8)))).toBe('AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C');
    expect(toHex(encodeSamReply(SW3.FIND_FAILED))).toBe('AA AA AA 96 69 00 04 00 00 80 84');
  });

  it('decodes the documented find answer', () => {
    const [body] = frames(new SamFrameDecoder().push(fromHex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97')));
    expect(parseSamReply(body!)).toEqual({ sw3: 0x9f, data: new Uint8Array(4) });
  });
});

describe('SamFrameDecoder', () => {
  const reply = encodeSamReply(
    SW3.OK,
    Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
  );

  it('reassembles a long answer from fragments, with a preamble split across chunks', () => {
    const decoder = new SamFrameDecoder();
    const stream = Uint8Array.from([0x00, 0xaa, 0xaa, ...reply]);
    const got: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 2) got.push(...frames(decoder.push(stream.subarray(i, i + 2))));
    expect(got).toHaveLength(1);
    expect(parseSamReply(got[0]!).data.length).toBe(300);
    expect(decoder.pending).toBe(0);
  });

  it('reports a checksum error and an impossible length, then resynchronises', () => {
    const bad = Uint8Array.from(encodeSamReply(SW3.OK, fromHex('01 02 03')));
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    const huge = fromHex('AA AA AA 96 69 FF FF');
    const events = new SamFrameDecoder().push(Uint8Array.from([...bad, ...huge, ...encodeSamReply(SW3.FIND_FAILED)]));
    expect(events.map((e) => (e.type === 'corrupt' ? e.reason : 'frame'))).toEqual([
      'checksum mismatch',
      'impossible length 65535',
      'frame',
    ]);
  });

  it('never throws and never emits a frame that was not in the input (fuzz)', () => {
    const noise = fc.uint8Array({ maxLength: 200 });
    const preambleRich = fc.array(fc.oneof(noise, fc.constant(fromHex('AA AA AA 96 69')), fc.constant(reply.subarray(0, 40))), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(preambleRich, fc.integer({ min: 1, max: 64 }), (parts, chunk) => {
        const input = Buffer.concat(parts.map((p) => Buffer.from(p)));
        const decoder = new SamFrameDecoder();
        const got: Uint8Array[] = [];
        for (let i = 0; i < input.length; i += chunk) got.push(...frames(decoder.push(input.subarray(i, i + chunk))));
        for (const body of got) {
          const length = body.length + 1;
          const framed = Buffer.concat([Buffer.from('AAAAAA9669', 'hex'), Buffer.from([length >> 8, length & 0xff]), body]);
          expect(input.includes(framed)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every single-byte corruption after the length (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, flip) => {
        const frame = Uint8Array.from(encodeSamReply(SW3.OK, data));
        const index = 7 + (at % (frame.length - 7)); // body or checksum
        frame[index] = (frame[index] ?? 0) ^ flip;
        expect(frames(new SamFrameDecoder().push(frame))).toEqual([]);
      }),
    );
  });
});
