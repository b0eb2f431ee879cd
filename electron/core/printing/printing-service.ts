import type { Database } from 'better-sqlite3';
import type { DeviceSettingsView, PrintJob, PrinterView } from '#shared/api/devices';
import { ApiError } from '#shared/api/errors';
import type { PrintDocument } from '#shared/documents/print-document';
import type { Logger } from '#shared/log/logger';
import {
  createPrinterTransport,
  DeviceError,
  renderDocument,
  toDeviceLogger,
  VirtualPrinter,
  type DecodedJob,
  type PrinterStatus,
  type PrinterTransport,
} from '../devices/index';
import type { Clock } from '../platform/deps';
import { formatLocal } from '../platform/local-time';
import { markReprint, unprintableReason } from './job-document';
import { printJobQueries, RECEIPT_PRINTER, toPrintJob, type PrintJobQueries, type PrintJobWithDocument } from './print-jobs';
import { PrintWorker, realTimers, type AttemptOutcome, type Timers } from './print-worker';

export type PrinterSettings = Pick<DeviceSettingsView, 'printerUri' | 'paperMm' | 'columns' | 'cut'>;

export interface PrintingTiming {
  retryBaseMs?: number;
  retryMaxMs?: number;
  writeTimeoutMs?: number;
  /** How often the printer is asked for its state, so the strip is current and a printer back online resumes at once. */
  statusIntervalMs?: number;
  timers?: Timers;
}

export interface PrintingOptions {
  db: Database;
  clock: Clock;
  newId: () => string;
  logger: Logger;
  timeZone: string;
  settings: PrinterSettings;
  timing?: PrintingTiming;
  /** A job was queued or changed state (after the transaction that did it committed). */
  onJob: (job: PrintJob) => void;
  /** The printer's state changed. */
  onPrinter: (printer: PrinterView) => void;
}

const VIRTUAL_JOBS_KEPT = 50;

function detailOf(state: PrinterView['state'], status: PrinterStatus | undefined): string {
  switch (state) {
    case 'online':
      if (status?.paperNearEnd) return '纸将用尽，请准备换纸';
      return status?.checkedBy === 'connection' ? '端口可连接（打印机不回答状态查询）' : '就绪';
    case 'offline':
      return '打印机未连接或离线：请检查电源、连线和机盖';
    case 'paper_out':
      return '缺纸：请装纸，排队的单据随后自动打印';
    case 'unknown':
      return '正在检测打印机…';
  }
}

/** A printer the settings name but that cannot be opened: nothing is sent, every job waits. */
function unusablePrinter(uri: string, error: unknown): PrinterTransport {
  const message = error instanceof Error ? error.message : '打印机地址无效';
  const refuse = () => new DeviceError('DEVICE_CONFIG', message, { detail: { maybePrinted: false } });
  return {
    target: uri,
    write: () => Promise.reject(refuse()),
    status: async () => ({ state: 'offline', paperNearEnd: false, checkedBy: 'connection' }),
    close: async () => {},
  };
}

/**
 * The counter's receipt printer: its transport (reopened when the settings change), its live state, the
 * durable queue and the worker printing it. Jobs enter the queue inside business commands (`enqueue`),
 * so a receipt is queued exactly when its case is accepted.
 */
export class PrintingService {
  readonly jobs: PrintJobQueries;
  private settings: PrinterSettings;
  private transport: PrinterTransport;
  private readonly virtualPrinters = new Map<string, VirtualPrinter>();
  private view: PrinterView;
  private readonly worker: PrintWorker;
  private readonly timers: Timers;
  private statusTimer: unknown;
  private refreshing: Promise<void> | undefined;
  private stopped = false;
  private lastVirtual: { jobId: string; job: DecodedJob; printer: VirtualPrinter; png?: string } | undefined;

  constructor(private readonly options: PrintingOptions) {
    this.jobs = printJobQueries(options.db);
    this.settings = options.settings;
    this.timers = options.timing?.timers ?? realTimers;
    this.transport = this.open(options.settings.printerUri);
    this.view = this.viewOf('unknown', undefined);
    this.worker = new PrintWorker({
      jobs: this.jobs,
      printer: RECEIPT_PRINTER,
      transport: () => this.transport,
      render: (job) => this.render(job),
      clock: options.clock,
      logger: options.logger,
      timers: this.timers,
      retryBaseMs: options.timing?.retryBaseMs,
      retryMaxMs: options.timing?.retryMaxMs,
      writeTimeoutMs: options.timing?.writeTimeoutMs,
      onChange: (id) => this.publish(id),
      onAttempt: (job, outcome, error) => this.afterAttempt(job.id, outcome, error),
    });
  }

  start(): void {
    this.worker.start();
    void this.refreshStatus();
  }

  /** Stops polling and the worker; a job in hand finishes and is recorded while the store is open. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.statusTimer !== undefined) this.timers.clearTimeout(this.statusTimer);
    await this.worker.stop();
    await this.transport.close().catch(() => undefined);
  }

  get printer(): PrinterView {
    return this.view;
  }

  /** Reopens the printer under new settings; queued jobs go to the new one. */
  async configure(settings: PrinterSettings): Promise<void> {
    const previous = this.transport;
    this.settings = settings;
    this.transport = this.open(settings.printerUri);
    if (previous !== this.transport) await previous.close().catch(() => undefined);
    this.setView(this.viewOf('unknown', undefined));
    // A question still out to the old printer must not stand in for one to the new printer.
    await this.refreshing;
    await this.refreshStatus();
    this.worker.wake(true);
  }

  /**
   * Queues a document for printing, inside the caller's transaction. A document the printer cannot
   * print is queued as 'blocked' with the reason, so the teller sees it at once. Returns the job id.
   */
  enqueue(
    document: { id: string; document: PrintDocument },
    by: { operatorId: string | null; at: string },
    reprint?: { of: string | null },
  ): string {
    const id = this.options.newId();
    this.jobs.insert({
      id,
      documentId: document.id,
      printer: RECEIPT_PRINTER,
      createdAt: by.at,
      operatorId: by.operatorId,
      reprint: reprint !== undefined,
      reprintOf: reprint?.of ?? null,
      blockedBecause: unprintableReason(document.document),
    });
    this.announce(id);
    return id;
  }

  /**
   * Tells clients about a job and wakes the worker once the current transaction has ended: this runs
   * after the synchronous command, so a rolled-back job is found missing and never announced.
   */
  announce(jobId: string): void {
    queueMicrotask(() => {
      if (this.stopped || !this.jobs.available) return;
      this.publish(jobId);
      this.worker.wake();
    });
  }

  queue(): PrintJob[] {
    return this.jobs.list(20).map(toPrintJob);
  }

  /** Demo and training: the virtual printer runs out of paper or goes offline on request. */
  async simulate(change: { paper?: 'ok' | 'near_end' | 'out'; offline?: boolean }): Promise<PrinterView> {
    const printer = this.virtual();
    if (!printer) throw new ApiError('CONFLICT', '当前打印机不是虚拟打印机，无法模拟缺纸或离线');
    if (change.paper !== undefined) printer.paper = change.paper;
    if (change.offline !== undefined) printer.offline = change.offline;
    await this.refreshStatus();
    return this.view;
  }

  /** The virtual printer's last job as the app printed it: decoded text and a picture of the paper. */
  lastOutput(): { jobId: string; text: string; png: string } | null {
    const last = this.lastVirtual;
    if (!last) return null;
    last.png ??= `data:image/png;base64,${last.printer.renderPng(last.job, this.settings.columns).toString('base64')}`;
    const qr = last.job.qrCodes.map((q) => `[二维码] ${q.data}`);
    return { jobId: last.jobId, text: [last.job.text, ...qr].join('\n'), png: last.png };
  }

  private open(uri: string): PrinterTransport {
    try {
      return createPrinterTransport(uri, {
        virtualPrinters: this.virtualPrinters,
        virtualOptions: { keepJobs: VIRTUAL_JOBS_KEPT },
        logger: toDeviceLogger(this.options.logger),
      });
    } catch (error) {
      this.options.logger.warn('printer cannot be opened', { uri, err: String(error) });
      return unusablePrinter(uri, error);
    }
  }

  private virtual(): VirtualPrinter | undefined {
    return this.transport instanceof VirtualPrinter ? this.transport : undefined;
  }

  private render(job: PrintJobWithDocument): Uint8Array {
    let doc = JSON.parse(job.model_json) as PrintDocument;
    if (job.reprint === 1) doc = markReprint(doc, formatLocal(job.created_at, this.options.timeZone));
    const reason = unprintableReason(doc);
    if (reason) throw new DeviceError('DEVICE_UNPRINTABLE', reason);
    return renderDocument(doc, { columns: this.settings.columns, cut: this.settings.cut ? 'partial' : 'none' });
  }

  private publish(jobId: string): void {
    const row = this.jobs.byId(jobId);
    if (row) this.options.onJob(toPrintJob(row));
  }

  private afterAttempt(jobId: string, outcome: AttemptOutcome, error: DeviceError | undefined): void {
    const printer = this.virtual();
    const decoded = printer?.jobs.at(-1);
    if (outcome === 'printed' && printer && decoded) this.lastVirtual = { jobId, job: decoded, printer };
    if (outcome === 'printed') {
      const { paperNearEnd, checkedBy } = this.view;
      this.setView(this.viewOf('online', { state: 'online', paperNearEnd, checkedBy: checkedBy ?? 'connection' }));
    } else if (error?.code === 'DEVICE_PAPER_OUT') this.setView(this.viewOf('paper_out', undefined));
    else if (error?.code === 'DEVICE_OFFLINE') this.setView(this.viewOf('offline', undefined));
    else if (outcome !== 'blocked') void this.refreshStatus();
  }

  /** Asks the printer once (never two questions at a time) and plans the next question. */
  private refreshStatus(): Promise<void> {
    this.refreshing ??= (async () => {
      if (this.statusTimer !== undefined) this.timers.clearTimeout(this.statusTimer);
      const transport = this.transport;
      const status = await transport.status().catch(() => undefined);
      if (this.stopped) return;
      // An answer from a printer replaced meanwhile says nothing about the new one.
      if (transport === this.transport) this.setView(this.viewOf(status?.state ?? 'offline', status));
      this.statusTimer = this.timers.setTimeout(() => void this.refreshStatus(), this.options.timing?.statusIntervalMs ?? 5000);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private viewOf(state: PrinterView['state'], status: PrinterStatus | undefined): PrinterView {
    return {
      uri: this.settings.printerUri,
      simulated: this.transport instanceof VirtualPrinter,
      state,
      paperNearEnd: status?.paperNearEnd ?? false,
      checkedBy: status?.checkedBy ?? null,
      detail: detailOf(state, status),
      paperMm: this.settings.paperMm,
      columns: this.settings.columns,
    };
  }

  private setView(next: PrinterView): void {
    const before = this.view;
    this.view = next;
    if (JSON.stringify(before) === JSON.stringify(next)) return;
    this.options.onPrinter(next);
    // Back online (paper loaded, cable in): waiting jobs go now rather than at their planned retry.
    if (before.state !== 'online' && next.state === 'online') this.worker.wake(true);
  }
}
