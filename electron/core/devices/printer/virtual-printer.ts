import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { concatBytes } from '../bytes';
import { DeviceError } from '../errors';
import { delay } from '../timeout';
import { JobAssembler, type DecodedJob } from './decoded-job';
import { EscPosParser } from './escpos-parser';
import {
  assertReady,
  CAUSE_COVER_OPEN,
  CAUSE_PAPER_END,
  PAPER_NEAR_END,
  PAPER_OUT,
  PRINTER_OFFLINE,
  queryStatus,
  statusByte,
  type PrinterStatus,
} from './status';
import { renderTicketPng } from './ticket-image';
import type { PrinterTransport } from './transport';

export type PaperState = 'ok' | 'near_end' | 'out';

export interface VirtualPrinterOptions {
  name?: string;
  /** Font-A columns of the simulated paper (for the PNG): 32, 42 or 48. */
  columns?: number;
  /** Whether GB mode is on without FS & (newer GB18030 printers); off by default to catch a missing FS &. */
  chineseModeAtInit?: boolean;
  /** Jobs kept in memory, oldest dropped first; all of them by default. A demo runs all day. */
  keepJobs?: number;
}

/**
 * A printer in memory that understands ESC/POS: it decodes what it receives into jobs (lines with
 * styles, QR payloads, cuts), answers DLE EOT, and can be out of paper, offline or slow on demand.
 * Used directly as a PrinterTransport, or behind a TCP server or simulated serial port via sessions.
 */
export class VirtualPrinter implements PrinterTransport {
  readonly target: string;
  readonly columns: number;
  paper: PaperState = 'ok';
  offline = false;
  /** Delay before each write or status answer completes (a slow printer). */
  latencyMs = 0;
  /** Jobs that arrived over a byte stream while the printer could not print. */
  droppedJobs = 0;
  private readonly received: DecodedJob[] = [];
  private readonly listeners = new Set<(job: DecodedJob) => void>();
  private readonly chineseModeAtInit: boolean;
  private readonly keepJobs: number;
  private printed = 0;

  constructor(options: VirtualPrinterOptions = {}) {
    this.target = `virtual:${options.name ?? 'printer'}`;
    this.columns = options.columns ?? 32;
    this.chineseModeAtInit = options.chineseModeAtInit ?? false;
    this.keepJobs = options.keepJobs ?? Infinity;
  }

  get jobs(): readonly DecodedJob[] {
    return this.received;
  }

  get ready(): boolean {
    return !this.offline && this.paper !== 'out';
  }

  /** Calls `listener` for every job printed from now on; returns the unsubscribe function. */
  onJob(listener: (job: DecodedJob) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.received.length = 0;
    this.droppedJobs = 0;
    this.printed = 0;
  }

  /** The byte a real printer would answer to DLE EOT n. */
  statusByteFor(n: number): number {
    const paperOut = this.paper === 'out';
    switch (n) {
      case 1:
        return statusByte(this.offline || paperOut ? PRINTER_OFFLINE : 0);
      case 2:
        return statusByte((this.offline ? CAUSE_COVER_OPEN : 0) | (paperOut ? CAUSE_PAPER_END : 0));
      case 4:
        return statusByte(paperOut ? PAPER_OUT : this.paper === 'near_end' ? PAPER_NEAR_END : 0);
      default:
        return statusByte(0);
    }
  }

  async status(): Promise<PrinterStatus> {
    await delay(this.latencyMs);
    return this.currentStatus();
  }

  async write(bytes: Uint8Array): Promise<void> {
    await delay(this.latencyMs);
    assertReady(await this.currentStatus(), this.target);
    const session = this.openSession();
    session.push(bytes);
    session.end();
  }

  async close(): Promise<void> {}

  /** Decoded from our own DLE EOT answers, so the virtual printer reports what a host would read. */
  private async currentStatus(): Promise<PrinterStatus> {
    const status = await queryStatus(async (n) => this.statusByteFor(n));
    // queryStatus only returns undefined for missing or malformed answers, which statusByteFor never gives.
    if (!status) throw new DeviceError('DEVICE_BAD_FRAME');
    return status;
  }

  /** A byte stream into the printer (one TCP connection, one serial line). */
  openSession(): VirtualPrinterSession {
    return new VirtualPrinterSession(
      new EscPosParser({ chineseModeAtInit: this.chineseModeAtInit }),
      (n) => this.statusByteFor(n),
      (assembler, bytes) => this.accept(assembler, bytes),
    );
  }

  /** `columns`: the paper width to draw, when the counter's settings differ from the printer's own. */
  renderPng(job: DecodedJob, columns = this.columns): Buffer {
    return renderTicketPng(job, { columns });
  }

  /** Writes every kept job as raw bytes (.bin), decoded text (.txt) and a picture (.png); returns the paths. */
  async writeJobs(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const job of this.received) {
      const base = join(dir, `${this.target.replace(/[^\w-]+/g, '_')}-${String(job.sequence).padStart(4, '0')}`);
      const qr = job.qrCodes.map((q) => `[QR] ${q.data}`);
      await writeFile(`${base}.bin`, job.bytes);
      await writeFile(`${base}.txt`, [job.text, ...qr].join('\n') + '\n', 'utf8');
      await writeFile(`${base}.png`, this.renderPng(job));
      written.push(`${base}.bin`, `${base}.txt`, `${base}.png`);
    }
    return written;
  }

  private accept(assembler: JobAssembler, bytes: Uint8Array): void {
    if (!this.ready) {
      this.droppedJobs++;
      return;
    }
    const job = assembler.finish(++this.printed, bytes);
    this.received.push(job);
    if (this.received.length > this.keepJobs) this.received.shift();
    for (const listener of this.listeners) listener(job);
  }
}

/** Cuts a byte stream into jobs: a job ends at the next ESC @ after printable content, or at `end()`. */
export class VirtualPrinterSession {
  private assembler = new JobAssembler();
  /** Bytes of the job in progress. */
  private pending: Uint8Array[] = [];
  /** Stream offset where the job in progress starts. */
  private jobStart = 0;
  private received = 0;

  constructor(
    private readonly parser: EscPosParser,
    private readonly answer: (n: number) => number,
    private readonly completeJob: (assembler: JobAssembler, bytes: Uint8Array) => void,
  ) {}

  /** Feeds bytes; returns the real-time answers (DLE EOT) to send back. */
  push(bytes: Uint8Array): Uint8Array {
    this.pending.push(Uint8Array.from(bytes));
    this.received += bytes.length;
    const replies: number[] = [];
    for (const event of this.parser.push(bytes)) {
      if (event.type === 'status_request') replies.push(this.answer(event.n));
      if (event.type === 'init' && this.assembler.hasContent) this.complete(event.offset);
      this.assembler.apply(event);
    }
    return Uint8Array.from(replies);
  }

  end(): void {
    for (const event of this.parser.end()) this.assembler.apply(event);
    if (this.assembler.hasContent) this.complete(this.received);
  }

  private complete(endOffset: number): void {
    const all = concatBytes(this.pending);
    const length = endOffset - this.jobStart;
    this.completeJob(this.assembler, all.slice(0, length));
    this.assembler = new JobAssembler();
    this.pending = [all.slice(length)];
    this.jobStart = endOffset;
  }
}
