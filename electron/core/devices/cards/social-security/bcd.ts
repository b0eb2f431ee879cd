import { compactDate } from '../compact-date';

// cn fields: BCD digits, left-aligned, padded with hex F (hardware.md §1.4).

export function bcdToDigits(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex').toUpperCase();
  const digits = hex.replace(/F+$/, '');
  return /^\d*$/.test(digits) ? digits : '';
}

export function digitsToBcd(digits: string, length: number): Uint8Array {
  if (!/^\d*$/.test(digits) || digits.length > length * 2) throw new RangeError(`cannot store "${digits}" in ${length} BCD bytes`);
  return Uint8Array.from(Buffer.from(digits.padEnd(length * 2, 'F'), 'hex'));
}

/** YYYYMMDD in 4 BCD bytes → 'YYYY-MM-DD', or undefined if it is not a real date. */
export function bcdDate(bytes: Uint8Array): string | undefined {
  return compactDate(bcdToDigits(bytes));
}
