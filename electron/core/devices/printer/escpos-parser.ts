import iconv from 'iconv-lite';

import { concatBytes } from '../bytes';
import type { Align, QrErrorCorrection } from '#shared/documents/print-document';
import { DLE, ESC, FS, GS, LF } from './escpos';

// A streaming ESC/POS parser for the virtual printer. It consumes every command with its declared
// length (so a 0x10 inside image or QR data is never taken for DLE EOT), decodes text as GB18030 in
// Chinese mode and as CP437 outside it, and never throws: unknown input becomes `unknown` events.

export type EscPosEvent =
  /** `offset` counts bytes from the start of the stream, so a byte stream can be cut into jobs. */
  | { type: 'init'; offset: number }
  | { type: 'chinese_mode'; on: boolean }
  | { type: 'text'; text: string }
  | { type: 'newline' }
  | { type: 'align'; align: Align }
  | { type: 'bold'; on: boolean }
  | { type: 'size'; width: number; height: number }
  | { type: 'feed'; lines: number }
  | { type: 'cut'; partial: boolean }
  | { type: 'qr_module_size'; size: number }
  | { type: 'qr_error_correction'; level: QrErrorCorrection }
  | { type: 'qr_store'; data: Uint8Array }
  | { type: 'qr_print' }
  | { type: 'status_request'; n: number }
  | { type: 'unknown'; bytes: Uint8Array };

interface Parsed {
  /** Bytes of the command itself (held until complete). */
  length: number;
  /** Data bytes that follow and are discarded as they stream in (images, logos). */
  skip?: number;
  events?: EscPosEvent[];
}

/** `undefined` means: not enough bytes yet. */
type ParseResult = Parsed | undefined;

const alignByCode: Align[] = ['left', 'center', 'right'];
const eccByCode: Record<number, QrErrorCorrection> = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' };

/** ESC commands with a fixed number of parameter bytes. */
const escParams: Record<number, number> = {
  0x20: 1,
  0x21: 1,
  0x24: 2,
  0x25: 1,
  0x2d: 1,
  0x32: 0,
  0x33: 1,
  0x3c: 0,
  0x3d: 1,
  0x3f: 1,
  0x40: 0,
  0x42: 2,
  0x45: 1,
  0x47: 1,
  0x4a: 1,
  0x4b: 1,
  0x4c: 0,
  0x4d: 1,
  0x52: 1,
  0x53: 0,
  0x54: 1,
  0x55: 1,
  0x56: 1,
  0x57: 8,
  0x5c: 2,
  0x61: 1,
  0x63: 2,
  0x64: 1,
  0x69: 0,
  0x6d: 0,
  0x70: 3,
  0x72: 1,
  0x74: 1,
  0x7b: 1,
};
const fsParams: Record<number, number> = { 0x21: 1, 0x26: 0, 0x2d: 1, 0x2e: 0, 0x43: 1, 0x53: 2, 0x57: 1, 0x70: 2 };
const gsParams: Record<number, number> = {
  0x21: 1,
  0x2f: 1,
  0x3a: 0,
  0x42: 1,
  0x48: 1,
  0x49: 1,
  0x4c: 2,
  0x50: 2,
  0x57: 2,
  0x61: 1,
  0x62: 1,
  0x66: 1,
  0x68: 1,
  0x72: 1,
  0x77: 1,
};

function u16(buf: Uint8Array, i: number): number {
  return (buf[i] ?? 0) | ((buf[i + 1] ?? 0) << 8);
}

function fixed(length: number, events?: EscPosEvent[]): Parsed {
  return { length, events };
}

/** `offset`: the stream position of `buf[i]`. */
function parseEsc(buf: Uint8Array, i: number, offset: number): ParseResult {
  const c = buf[i + 1];
  if (c === undefined) return undefined;
  if (c === 0x2a) {
    // ESC * m nL nH d…: bit image; 8-dot modes carry one byte per column, 24-dot modes three.
    if (buf.length < i + 5) return undefined;
    const m = buf[i + 2] ?? 0;
    return { length: 5, skip: u16(buf, i + 3) * (m >= 32 ? 3 : 1) };
  }
  if (c === 0x44) {
    // ESC D n1 … NUL: tab stops, at most 32.
    for (let j = i + 2; j < Math.min(buf.length, i + 35); j++) if (buf[j] === 0) return fixed(j - i + 1);
    return buf.length >= i + 35 ? fixed(35) : undefined;
  }
  const params = escParams[c];
  if (params === undefined) return fixed(2, [{ type: 'unknown', bytes: buf.slice(i, i + 2) }]);
  if (buf.length < i + 2 + params) return undefined;
  const n = buf[i + 2] ?? 0;
  const length = 2 + params;
  switch (c) {
    case 0x40:
      return fixed(length, [{ type: 'init', offset }]);
    case 0x45:
      return fixed(length, [{ type: 'bold', on: (n & 1) === 1 }]);
    case 0x61:
      return fixed(length, [{ type: 'align', align: alignByCode[n % 48] ?? 'left' }]);
    case 0x64:
      return fixed(length, [{ type: 'feed', lines: n }]);
    case 0x21:
      // ESC ! n: bit 3 emphasised, bit 4 double height, bit 5 double width.
      return fixed(length, [
        { type: 'bold', on: (n & 0x08) !== 0 },
        { type: 'size', width: n & 0x20 ? 2 : 1, height: n & 0x10 ? 2 : 1 },
      ]);
    case 0x69:
    case 0x6d:
      return fixed(length, [{ type: 'cut', partial: c === 0x6d }]);
    default:
      return fixed(length);
  }
}

function parseFs(buf: Uint8Array, i: number): ParseResult {
  const c = buf[i + 1];
  if (c === undefined) return undefined;
  const params = fsParams[c];
  if (params === undefined) return fixed(2, [{ type: 'unknown', bytes: buf.slice(i, i + 2) }]);
  if (buf.length < i + 2 + params) return undefined;
  if (c === 0x26) return fixed(2, [{ type: 'chinese_mode', on: true }]);
  if (c === 0x2e) return fixed(2, [{ type: 'chinese_mode', on: false }]);
  return fixed(2 + params);
}

function parseQrFunction(fn: number, body: Uint8Array): EscPosEvent[] {
  // body = cn fn parameters…; cn 0x31 is QR Code.
  if (body[0] !== 0x31) return [];
  switch (fn) {
    case 0x43:
      return [{ type: 'qr_module_size', size: body[2] ?? 0 }];
    case 0x45: {
      const level = eccByCode[body[2] ?? 0];
      return level ? [{ type: 'qr_error_correction', level }] : [];
    }
    case 0x50:
      return [{ type: 'qr_store', data: body.slice(3) }];
    case 0x51:
      return [{ type: 'qr_print' }];
    default:
      return [];
  }
}

function parseGs(buf: Uint8Array, i: number): ParseResult {
  const c = buf[i + 1];
  if (c === undefined) return undefined;
  switch (c) {
    case 0x28: {
      // GS ( x pL pH d…: the length counts the bytes after pH.
      if (buf.length < i + 5) return undefined;
      const fnGroup = buf[i + 2];
      const dataLength = u16(buf, i + 3);
      if (fnGroup !== 0x6b) return { length: 5, skip: dataLength };
      if (buf.length < i + 5 + dataLength) return undefined;
      const body = buf.slice(i + 5, i + 5 + dataLength);
      return fixed(5 + dataLength, parseQrFunction(body[1] ?? 0, body));
    }
    case 0x38: {
      // GS 8 L p1 p2 p3 p4 …: large graphics data, 32-bit length.
      if (buf.length < i + 7) return undefined;
      const dataLength = (buf[i + 3] ?? 0) + ((buf[i + 4] ?? 0) << 8) + ((buf[i + 5] ?? 0) << 16) + (buf[i + 6] ?? 0) * 0x1000000;
      return { length: 7, skip: dataLength };
    }
    case 0x56: {
      const m = buf[i + 2];
      if (m === undefined) return undefined;
      const partial = m === 0x01 || m === 0x31 || m === 0x42 || m === 0x62 || m === 0x68;
      const withFeed = m === 0x41 || m === 0x42 || m === 0x61 || m === 0x62 || m === 0x67 || m === 0x68;
      const length = withFeed ? 4 : 3;
      return buf.length < i + length ? undefined : fixed(length, [{ type: 'cut', partial }]);
    }
    case 0x76: {
      // GS v 0 m xL xH yL yH d…: raster image, x bytes × y rows.
      if (buf.length < i + 8) return undefined;
      return { length: 8, skip: u16(buf, i + 4) * u16(buf, i + 6) };
    }
    case 0x2a: {
      // GS * x y d…: downloaded bit image, x × y × 8 bytes.
      if (buf.length < i + 4) return undefined;
      return { length: 4, skip: (buf[i + 2] ?? 0) * (buf[i + 3] ?? 0) * 8 };
    }
    case 0x6b: {
      // GS k m …: barcode; m ≤ 6 is NUL-terminated, m ≥ 65 carries its length.
      const m = buf[i + 2];
      if (m === undefined) return undefined;
      if (m >= 65) {
        const n = buf[i + 3];
        return n === undefined ? undefined : { length: 4, skip: n };
      }
      for (let j = i + 3; j < Math.min(buf.length, i + 259); j++) if (buf[j] === 0) return fixed(j - i + 1);
      return buf.length >= i + 259 ? fixed(259) : undefined;
    }
    default: {
      const params = gsParams[c];
      if (params === undefined) return fixed(2, [{ type: 'unknown', bytes: buf.slice(i, i + 2) }]);
      if (buf.length < i + 2 + params) return undefined;
      if (c === 0x21) {
        const n = buf[i + 2] ?? 0;
        return fixed(3, [{ type: 'size', width: (n >> 4) + 1, height: (n & 0x0f) + 1 }]);
      }
      return fixed(2 + params);
    }
  }
}

function parseDle(buf: Uint8Array, i: number): ParseResult {
  const c = buf[i + 1];
  if (c === undefined) return undefined;
  if (c === 0x04 || c === 0x05) {
    const n = buf[i + 2];
    if (n === undefined) return undefined;
    return fixed(3, c === 0x04 ? [{ type: 'status_request', n }] : []);
  }
  if (c === 0x14) return buf.length < i + 5 ? undefined : fixed(5);
  return fixed(2, [{ type: 'unknown', bytes: buf.slice(i, i + 2) }]);
}

function parseControl(buf: Uint8Array, i: number, offset: number): ParseResult {
  switch (buf[i]) {
    case ESC:
      return parseEsc(buf, i, offset);
    case FS:
      return parseFs(buf, i);
    case GS:
      return parseGs(buf, i);
    case DLE:
      return parseDle(buf, i);
    case LF:
      return fixed(1, [{ type: 'newline' }]);
    default:
      // CR, HT and the other C0 codes print nothing on a receipt.
      return fixed(1);
  }
}

export interface EscPosParserOptions {
  /** Whether GB (double-byte) mode is on after power-up and ESC @; old printers need FS &. */
  chineseModeAtInit?: boolean;
}

export class EscPosParser {
  private held: Uint8Array = new Uint8Array(0);
  private text: number[] = [];
  private skipping = 0;
  private chinese: boolean;
  private readonly chineseAtInit: boolean;
  /** Stream offset of `held[0]`. */
  private base = 0;

  constructor(options: EscPosParserOptions = {}) {
    this.chineseAtInit = options.chineseModeAtInit ?? false;
    this.chinese = this.chineseAtInit;
  }

  push(chunk: Uint8Array): EscPosEvent[] {
    const events: EscPosEvent[] = [];
    const buf = this.held.length === 0 ? chunk : concatBytes([this.held, chunk]);
    let i = 0;
    while (i < buf.length) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, buf.length - i);
        this.skipping -= n;
        i += n;
        continue;
      }
      const byte = buf[i] ?? 0;
      if (byte >= 0x20) {
        // GB18030 lead, trail and four-byte bytes are all ≥ 0x30, so a text run ends at the next control code.
        this.text.push(byte);
        i++;
        continue;
      }
      const parsed = parseControl(buf, i, this.base + i);
      if (!parsed) break;
      this.flushText(events);
      for (const event of parsed.events ?? []) {
        if (event.type === 'chinese_mode') this.chinese = event.on;
        if (event.type === 'init') this.chinese = this.chineseAtInit;
        events.push(event);
      }
      i += parsed.length;
      this.skipping = parsed.skip ?? 0;
    }
    this.held = buf.slice(i);
    this.base += i;
    return events;
  }

  /** End of stream: pending text is emitted, and an incomplete command is reported as unknown. */
  end(): EscPosEvent[] {
    const events: EscPosEvent[] = [];
    this.flushText(events);
    if (this.held.length > 0) events.push({ type: 'unknown', bytes: this.held });
    this.base += this.held.length;
    this.held = new Uint8Array(0);
    this.skipping = 0;
    return events;
  }

  private flushText(events: EscPosEvent[]): void {
    if (this.text.length === 0) return;
    const bytes = Buffer.from(this.text);
    this.text = [];
    events.push({ type: 'text', text: iconv.decode(bytes, this.chinese ? 'gb18030' : 'cp437') });
  }
}
