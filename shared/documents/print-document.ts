// The printable document model: plain data, no bytes and no Node imports, shared by the core (which
// renders it to ESC/POS), the API contract and the UI preview.

export type Align = 'left' | 'center' | 'right';

/** Character magnification as in GS ! (1 = normal, up to 8). */
export type Magnification = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface TextStyle {
  align?: Align;
  bold?: boolean;
  width?: Magnification;
  height?: Magnification;
}

/** A paragraph; it wraps at the paper width, and `\n` starts a new line. */
export interface TextBlock {
  type: 'text';
  text: string;
  style?: TextStyle;
}

/** Label on the left, value on the right ("姓名 ........ 张三"); the value wraps below when too long. */
export interface RowBlock {
  type: 'row';
  label: string;
  value: string;
  bold?: boolean;
}

export interface SeparatorBlock {
  type: 'separator';
  /** One single-column character repeated across the line; '-' by default. */
  char?: '-' | '=' | '*' | '.' | '_';
}

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrBlock {
  type: 'qr';
  /** Prefer ASCII (a ticket or case number): every scanner reads it. Other text is sent as UTF-8. */
  data: string;
  /** Module size in dots, 1–16; 6 by default. */
  moduleSize?: number;
  errorCorrection?: QrErrorCorrection;
  align?: Align;
}

export interface FeedBlock {
  type: 'feed';
  lines: number;
}

/** Cut between two tickets of the same job; the end-of-job cut is a render option. */
export interface CutBlock {
  type: 'cut';
  partial?: boolean;
}

export type PrintBlock = TextBlock | RowBlock | SeparatorBlock | QrBlock | FeedBlock | CutBlock;

export interface PrintDocument {
  blocks: PrintBlock[];
}

/** Common paper profiles: 58 mm = 32 columns; 80 mm = 48 (12-dot font) or 42 (Epson TM-T88, RawBT). */
export const PAPER_COLUMNS = { mm58: 32, mm80: 48, mm80Epson: 42 } as const;
