import type { Align, QrErrorCorrection } from '#shared/documents/print-document';
import type { EscPosEvent } from './escpos-parser';

// What the virtual printer made of a job: the printed lines with their styles, QR payloads and cuts.

export interface TextRun {
  text: string;
  bold: boolean;
  width: number;
  height: number;
}

export interface DecodedLine {
  align: Align;
  runs: TextRun[];
  /** The runs joined. */
  text: string;
}

export interface DecodedQr {
  /** The payload read as UTF-8. */
  data: string;
  bytes: Uint8Array;
  moduleSize: number;
  errorCorrection: QrErrorCorrection;
  align: Align;
}

export type JobItem =
  { kind: 'line'; line: DecodedLine } | { kind: 'qr'; qr: DecodedQr } | { kind: 'feed'; lines: number } | { kind: 'cut'; partial: boolean };

export interface DecodedJob {
  /** Order of arrival at this printer, from 1. */
  sequence: number;
  receivedAt: Date;
  bytes: Uint8Array;
  items: JobItem[];
  lines: DecodedLine[];
  /** All printed lines joined with '\n'. */
  text: string;
  qrCodes: DecodedQr[];
  cuts: number;
  /** The job began with ESC @ followed by FS & — what every job of ours must do. */
  startsWithInitAndChineseMode: boolean;
  unknownCommands: number;
}

interface Style {
  align: Align;
  bold: boolean;
  width: number;
  height: number;
}

const initialStyle: Style = { align: 'left', bold: false, width: 1, height: 1 };

interface QrSettings {
  moduleSize: number;
  errorCorrection: QrErrorCorrection;
  data: Uint8Array;
}

/** Printer defaults after ESC @ (Epson: module size 3, level L, no stored data). */
function defaultQr(): QrSettings {
  return { moduleSize: 3, errorCorrection: 'L', data: new Uint8Array(0) };
}

/** Folds parser events into lines and items, as the print head would lay them out. */
export class JobAssembler {
  private style: Style = { ...initialStyle };
  private runs: TextRun[] = [];
  /** Alignment is latched by the first character of a line, as on a real printer. */
  private lineAlign: Align | undefined;
  private readonly items: JobItem[] = [];
  private qr: QrSettings = defaultQr();
  private unknown = 0;
  private readonly leading: EscPosEvent['type'][] = [];
  private content = false;

  /** True once something printable (text, QR, feed, cut) has arrived. */
  get hasContent(): boolean {
    return this.content;
  }

  apply(event: EscPosEvent): void {
    // Real-time status requests are not part of the job.
    if (event.type !== 'status_request' && this.leading.length < 2) this.leading.push(event.type);
    switch (event.type) {
      case 'init':
        this.style = { ...initialStyle };
        this.qr = defaultQr();
        break;
      case 'text':
        this.addText(event.text);
        break;
      case 'newline':
        this.endLine(true);
        break;
      case 'align':
        this.style.align = event.align;
        break;
      case 'bold':
        this.style.bold = event.on;
        break;
      case 'size':
        this.style.width = event.width;
        this.style.height = event.height;
        break;
      case 'feed':
        this.endLine(false);
        this.push({ kind: 'feed', lines: event.lines });
        break;
      case 'cut':
        this.endLine(false);
        this.push({ kind: 'cut', partial: event.partial });
        break;
      case 'qr_module_size':
        this.qr.moduleSize = event.size;
        break;
      case 'qr_error_correction':
        this.qr.errorCorrection = event.level;
        break;
      case 'qr_store':
        this.qr.data = event.data;
        break;
      case 'qr_print':
        this.endLine(false);
        this.push({
          kind: 'qr',
          qr: {
            data: new TextDecoder().decode(this.qr.data),
            bytes: this.qr.data,
            moduleSize: this.qr.moduleSize,
            errorCorrection: this.qr.errorCorrection,
            align: this.style.align,
          },
        });
        break;
      case 'unknown':
        this.unknown++;
        break;
      case 'chinese_mode':
      case 'status_request':
        break;
    }
  }

  finish(sequence: number, bytes: Uint8Array): DecodedJob {
    this.endLine(false);
    const lines = this.items.flatMap((item) => (item.kind === 'line' ? [item.line] : []));
    return {
      sequence,
      receivedAt: new Date(),
      bytes,
      items: this.items,
      lines,
      text: lines.map((l) => l.text).join('\n'),
      qrCodes: this.items.flatMap((item) => (item.kind === 'qr' ? [item.qr] : [])),
      cuts: this.items.filter((item) => item.kind === 'cut').length,
      startsWithInitAndChineseMode: this.leading[0] === 'init' && this.leading[1] === 'chinese_mode',
      unknownCommands: this.unknown,
    };
  }

  private addText(text: string): void {
    this.lineAlign ??= this.style.align;
    const { bold, width, height } = this.style;
    const last = this.runs.at(-1);
    if (last && last.bold === bold && last.width === width && last.height === height) last.text += text;
    else this.runs.push({ text, bold, width, height });
  }

  /** A newline always prints a line, even an empty one; feed/cut/QR only flush pending text. */
  private endLine(always: boolean): void {
    if (!always && this.runs.length === 0) return;
    const line: DecodedLine = {
      align: this.lineAlign ?? this.style.align,
      runs: this.runs,
      text: this.runs.map((r) => r.text).join(''),
    };
    this.runs = [];
    this.lineAlign = undefined;
    this.push({ kind: 'line', line });
  }

  private push(item: JobItem): void {
    this.content = true;
    this.items.push(item);
  }
}
