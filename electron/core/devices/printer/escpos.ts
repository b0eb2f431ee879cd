import { concatBytes } from '../bytes';
import type { Align, QrErrorCorrection } from '#shared/documents/print-document';

// ESC/POS command bytes (hardware.md §5.1). Each function returns one complete command.

export const ESC = 0x1b;
export const FS = 0x1c;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

const QR_MAX_BYTES = 7089;

const alignCodes: Record<Align, number> = { left: 0, center: 1, right: 2 };
const eccCodes: Record<QrErrorCorrection, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

export type StatusRequest = 1 | 2 | 3 | 4;

export function initialize(): Uint8Array {
  return Uint8Array.of(ESC, 0x40);
}

/** FS &: double-byte (GB) mode, so bytes ≥ 0x80 are read as GB18030 and not as a code page. */
export function chineseModeOn(): Uint8Array {
  return Uint8Array.of(FS, 0x26);
}

/** ESC a n; printers apply it only at the start of a line. */
export function align(value: Align): Uint8Array {
  return Uint8Array.of(ESC, 0x61, alignCodes[value]);
}

export function bold(on: boolean): Uint8Array {
  return Uint8Array.of(ESC, 0x45, on ? 1 : 0);
}

/** GS ! n: high nibble = width − 1, low nibble = height − 1 (node-thermal-printer swaps them). */
export function characterSize(width: number, height: number): Uint8Array {
  if (!isMagnification(width) || !isMagnification(height)) {
    throw new RangeError(`character size must be 1–8, got ${width}×${height}`);
  }
  return Uint8Array.of(GS, 0x21, ((width - 1) << 4) | (height - 1));
}

/** ESC d n: print the buffer and feed n lines. */
export function feedLines(lines: number): Uint8Array {
  if (!Number.isInteger(lines) || lines < 0 || lines > 255) throw new RangeError(`feed must be 0–255 lines, got ${lines}`);
  return Uint8Array.of(ESC, 0x64, lines);
}

/** GS V 65/66 0: feed to the cutter, then cut, so the last line is not cut through. */
export function cut(partial: boolean): Uint8Array {
  return Uint8Array.of(GS, 0x56, partial ? 0x42 : 0x41, 0x00);
}

/** DLE EOT n: real-time status; the printer answers one byte. */
export function statusRequest(n: StatusRequest): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** Model 2, size, error correction, store, print. The store length counts BYTES (+3), not characters. */
export function qrCode(data: Uint8Array, moduleSize: number, ecc: QrErrorCorrection): Uint8Array {
  if (data.length === 0 || data.length > QR_MAX_BYTES) {
    throw new RangeError(`QR data must be 1–${QR_MAX_BYTES} bytes, got ${data.length}`);
  }
  if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 16) {
    throw new RangeError(`QR module size must be 1–16, got ${moduleSize}`);
  }
  const storeLength = data.length + 3;
  return concatBytes([
    Uint8Array.of(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00),
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, moduleSize),
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, eccCodes[ecc]),
    Uint8Array.of(GS, 0x28, 0x6b, storeLength & 0xff, storeLength >> 8, 0x31, 0x50, 0x30),
    data,
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30),
  ]);
}

function isMagnification(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 8;
}
