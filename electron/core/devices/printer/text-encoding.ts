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
  return roundTrips(char) ? undefined : 'not_encodable';
}

// Per-character answers are remembered: a receipt asks about the same few hundred characters again and
// again, and each fresh answer is an iconv call. Both maps are bounded by the characters in use.
const roundTripCache = new Map<string, boolean>();
const cellCache = new Map<string, 1 | 2>();

function roundTrips(char: string): boolean {
  let ok = roundTripCache.get(char);
  if (ok === undefined) {
    ok = iconv.decode(iconv.encode(char, 'gb18030'), 'gb18030') === char;
    roundTripCache.set(char, ok);
  }
  return ok;
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
  let cells = cellCache.get(char);
  if (cells === undefined) {
    cells = iconv.encode(char, 'gb18030').length === 1 ? 1 : 2;
    cellCache.set(char, cells);
  }
  return cells;
}

export function textCells(text: string): number {
  let cells = 0;
  for (const char of text) cells += charCells(char);
  return cells;
}

/** Closing punctuation a Chinese line may not start with (避头): it takes the character before it along. */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉…—’”,.;:?!)]}%']);
/** Characters of an ASCII run that reads as one word or figure (a case number, an amount). */
const ASCII_WORD = /^[\x21-\x7e]$/;

/** How many characters at the end of `line` move to the next line so that `next` does not start it badly. */
function carryOver(line: string[], next: string): number {
  if (NO_LINE_START.has(next)) return 1;
  if (!ASCII_WORD.test(next)) return 0;
  let n = 0;
  while (n < line.length && ASCII_WORD.test(line[line.length - 1 - n]!)) n++;
  return n;
}

/**
 * Breaks a line into pieces of at most `maxCells` columns, never inside a character. Closing punctuation
 * does not start a line and an ASCII word or figure is not split, unless it alone is longer than a line.
 */
export function wrapCells(text: string, maxCells: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let used = 0;
  for (const char of text) {
    const cells = charCells(char);
    if (used + cells > maxCells && line.length > 0) {
      const carry = carryOver(line, char);
      const fits = carry < line.length && textCells(line.slice(line.length - carry).join('')) + cells <= maxCells;
      const kept = fits ? line.length - carry : line.length;
      lines.push(line.slice(0, kept).join(''));
      line = line.slice(kept);
      used = textCells(line.join(''));
    }
    line.push(char);
    used += cells;
  }
  lines.push(line.join(''));
  return lines;
}
