import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromHex } from '../bytes';
import { EscPosParser, type EscPosEvent } from './escpos-parser';

function parseAll(bytes: Uint8Array, chunks: number[] = [bytes.length]): EscPosEvent[] {
  const parser = new EscPosParser();
  const events: EscPosEvent[] = [];
  let offset = 0;
  for (const size of chunks) {
    events.push(...parser.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...parser.push(bytes.subarray(offset)), ...parser.end());
  return events;
}

/** Adjacent text events are one text run split by chunking; merge them before comparing. */
function mergeText(events: EscPosEvent[]): EscPosEvent[] {
  const out: EscPosEvent[] = [];
  for (const e of events) {
    const last = out.at(-1);
    if (e.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + e.text };
    else out.push(e);
  }
  return out;
}

describe('EscPosParser', () => {
  it('decodes commands and GB18030 text written by hand', () => {
    const bytes = fromHex('1B40 1C26 1B6101 1D2111 1B4501 D5C5 88D2 FE9F 9534B235 0A 10 04 04 1D564200');
    expect(parseAll(bytes)).toEqual([
      { type: 'init', offset: 0 },
      { type: 'chinese_mode', on: true },
      { type: 'align', align: 'center' },
      { type: 'size', width: 2, height: 2 },
      { type: 'bold', on: true },
      { type: 'text', text: '张堃䶮𠮷' },
      { type: 'newline' },
      { type: 'status_request', n: 4 },
      { type: 'cut', partial: true },
    ]);
  });

  it('reads bytes ≥ 0x80 as a code page, not as hanzi, when FS & is missing', () => {
    const [, text] = parseAll(fromHex('1B40 D5C5'));
    expect(text).toEqual({ type: 'text', text: '╒┼' });
  });

  it('does not take a DLE EOT inside QR data for a status request', () => {
    const events = parseAll(fromHex('1D 28 6B 06 00 31 50 30 10 04 01'));
    expect(events).toEqual([{ type: 'qr_store', data: fromHex('10 04 01') }]);
  });

  it('skips raster image data by its declared size', () => {
    // GS v 0: 2 bytes × 2 rows of image data that happen to look like ESC @ and DLE EOT.
    const events = parseAll(fromHex('1D 76 30 00 02 00 02 00 1B 40 10 04 41'));
    expect(events).toEqual([{ type: 'text', text: 'A' }]);
  });

  it('reports an unfinished command at the end of the stream', () => {
    expect(parseAll(fromHex('41 1D 28 6B 05'))).toEqual([
      { type: 'text', text: 'A' },
      { type: 'unknown', bytes: fromHex('1D 28 6B 05') },
    ]);
  });

  it('never throws on random bytes, in any fragmentation (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }), (bytes, chunks) => {
        expect(() => parseAll(bytes, chunks)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same events however the stream is fragmented (property)', () => {
    const pieces = fc.constantFrom(
      fromHex('1B40'),
      fromHex('1C26'),
      fromHex('1D2111'),
      fromHex('1B6101'),
      fromHex('0A'),
      fromHex('D5C588D2'),
      fromHex('9534B235'),
      fromHex('1D286B0700315030413031'),
      fromHex('100404'),
      fromHex('1D564200'),
      fromHex('414243'),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 40 }), (parts, chunks) => {
        const bytes = Uint8Array.from(parts.flatMap((p) => Array.from(p)));
        expect(mergeText(parseAll(bytes, chunks))).toEqual(mergeText(parseAll(bytes)));
      }),
    );
  });
});
