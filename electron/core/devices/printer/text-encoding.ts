import iconv from 'iconv-lite';

import { DeviceError } from '../errors';

// GB18030 printers in Chinese mode print a one-byte code as a half-width cell (12 dots) and every
// multi-byte code as a full-width cell (24 dots). So the column width of a character is decided by
// its GB18030 length: this is East-Asian width with "ambiguous" characters (·, “”, °, é) wide, as
// the printer really prints them, and it counts 𠮷 (a surrogate pair in JS) as one wide cell.

export type UnprintableReason = 'control' | 'not_encodable' | 'replacement' | 'private_use';

export interface UnprintableChar {
  char: string;
  codePoint: number;
  /** UTF-16 index in the checked text. */
  index: number;
  reason: UnprintableReason;
}

function isPrivateUse(cp: number): boolean {
  return (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
}

function isControl(cp: number): boolean {
  return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

function reasonFor(char: string, cp: number): UnprintableReason | undefined {
  // A control byte inside text would be executed by the printer as a command.
  if (isControl(cp)) return 'control';
  // U+FFFD encodes fine, but it means the real character was already lost upstream.
  if (cp === 0xfffd) return 'replacement';
  // The printer has no agreed glyph for user-defined codes.
  if (isPrivateUse(cp)) return 'private_use';
  const decoded = iconv.decode(iconv.encode(char, 'gb18030'), 'gb18030');
  return decoded === char ? undefined : 'not_encodable';
}

/** Every character the printer cannot print faithfully; an empty list means the text is safe to print. */
export function findUnprintable(text: string): UnprintableChar[] {
  const found: UnprintableChar[] = [];
  let index = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    const reason = reasonFor(char, cp);
    if (reason) found.push({ char, codePoint: cp, index, reason });
    index += char.length;
  }
  return found;
}

/** GB18030 bytes of a text that has passed `findUnprintable`; refuses anything else instead of printing '?'. */
export function encodeText(text: string): Buffer {
  const bad = findUnprintable(text);
  if (bad.length > 0) {
    const chars = bad.map((b) => `U+${b.codePoint.toString(16).toUpperCase().padStart(4, '0')}`);
    throw new DeviceError('DEVICE_UNPRINTABLE', `打印内容含有打印机无法打印的字符：${chars.join('、')}`, {
      detail: { unprintable: bad },
    });
  }
  return iconv.encode(text, 'gb18030');
}

export function charCells(char: string): 1 | 2 {
  return iconv.encode(char, 'gb18030').length === 1 ? 1 : 2;
}

export function textCells(text: string): number {
  let cells = 0;
  for (const char of text) cells += charCells(char);
  return cells;
}

/** Breaks a line into pieces of at most `maxCells` columns, never inside a character. */
export function wrapCells(text: string, maxCells: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const char of text) {
    const cells = charCells(char);
    if (used + cells > maxCells && line !== '') {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += char;
    used += cells;
  }
  lines.push(line);
  return lines;
}
