import type { Logger } from '#shared/log/logger';
import { DeviceError, isDeviceError, type PrinterTransport } from '../devices/index';
import type { Clock } from '../platform/deps';
import type { PrintJobQueries, PrintJobRow, PrintJobWithDocument } from './print-jobs';

/** Timers are injected so tests can fire a retry without waiting for it. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type AttemptOutcome = 'printed' | 'failed' | 'uncertain' | 'blocked';

export interface PrintWorkerOptions {
  jobs: PrintJobQueries;
  printer: string;
  /** The printer as currently configured; read per job so a settings change applies to the next one. */
  transport: () => PrinterTransport;
  /** The job's bytes; throws (a DeviceError with a Chinese message) when the document cannot be printed. */
  render: (job: PrintJobWithDocument) => Uint8Array;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  /** First pause before a retry, doubled per failed attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A write that takes longer is treated as uncertain: it may still be printing. */
  writeTimeoutMs?: number;
  /** A job changed state (the row is in the store already). */
  onChange: (jobId: string) => void;
  /** After every attempt, so the printer's state can follow what the write found. */
  onAttempt?: (job: PrintJobRow, outcome: AttemptOutcome, error: DeviceError | undefined) => void;
}

function uncertainMessage(error: DeviceError | undefined): string {
  const why = error ? error.message : '打印时发生意外错误';
  return `打印中断（${why}），纸上可能已打出部分或全部内容。请查看打印机：已完整打出请点“已打印”，否则点“补打”。`;
}

/**
 * Prints one printer's jobs in queue order, one at a time. A job is marked printed only after the
 * transport accepted all its bytes. A failure that sent nothing (`maybePrinted: false`: unplugged,
 * offline, out of paper) is retried after a pause that doubles each time; any other failure may have
 * printed, so the job becomes 'uncertain' and waits for the teller instead of being printed again.
 */
export class PrintWorker {
  private readonly timers: Timers;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly writeTimeoutMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  /** A wake-up that arrived while the worker was busy; the next idle returns at once. */
  private woken = false;
  /** The printer has just come back: waiting jobs are retried now, not at their planned time. */
  private retryNow = false;
  private resume: (() => void) | undefined;

  constructor(private readonly options: PrintWorkerOptions) {
    this.timers = options.timers ?? realTimers;
    this.retryBaseMs = options.retryBaseMs ?? 2000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  }

  start(): void {
    if (this.running) return;
    // A job a previous run left mid-print may be on paper already: the teller decides, not a retry.
    for (const id of this.options.jobs.interrupted(this.options.printer)) {
      const row = this.options.jobs.byId(id)!;
      this.options.jobs.set(row, {
        state: 'uncertain',
        last_error: '打印过程中程序已退出，无法确认该单据是否已打出。请查看打印机：已打出请点“已打印”，否则点“补打”。',
      });
      this.options.onChange(id);
    }
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the job in hand, if any; its outcome is still recorded while the store is open. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  /** Something changed (a job queued, the printer came back with `retryNow`): look at the queue again. */
  wake(retryNow = false): void {
    if (retryNow) this.retryNow = true;
    this.woken = true;
    this.resume?.();
  }

  private async run(): Promise<void> {
    while (this.running && this.options.jobs.available) {
      this.woken = false;
      const job = this.options.jobs.head(this.options.printer);
      const waitMs = job ? this.dueIn(job) : undefined;
      if (!job || (waitMs ?? 0) > 0) {
        await this.idle(waitMs);
        continue;
      }
      this.retryNow = false;
      await this.print(job);
    }
  }

  private dueIn(job: PrintJobRow): number {
    if (job.state !== 'failed_waiting' || this.retryNow || job.next_attempt_at === null) return 0;
    return Date.parse(job.next_attempt_at) - this.options.clock.now().getTime();
  }

  /** Waits for `wake()`, or `ms` when given; never polls. */
  private idle(ms: number | undefined): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const handle = ms === undefined ? undefined : this.timers.setTimeout(done, ms);
      const timers = this.timers;
      this.resume = done;
      function done() {
        if (handle !== undefined) timers.clearTimeout(handle);
        resolve();
      }
    }).then(() => {
      this.resume = undefined;
    });
  }

  private async print(queued: PrintJobWithDocument): Promise<void> {
    const { jobs, clock } = this.options;
    const job: PrintJobWithDocument = { ...queued, state: 'printing', attempts: queued.attempts + 1 };
    jobs.set(job, { state: job.state, attempts: job.attempts });
    this.options.onChange(job.id);

    let bytes: Uint8Array;
    try {
      bytes = this.options.render(job);
    } catch (error) {
      const message = isDeviceError(error) ? error.message : '单据内容无法排版打印，请联系管理员';
      this.options.logger.warn('print job cannot be rendered', { jobId: job.id, err: String(error) });
      this.finish(job, 'blocked', { state: 'blocked', last_error: message, next_attempt_at: null }, undefined);
      return;
    }

    let failure: unknown;
    try {
      await this.withinLimit(this.options.transport().write(bytes));
    } catch (error) {
      failure = error;
    }
    // The core closed meanwhile: the job stays 'printing' and becomes uncertain at the next start.
    if (!jobs.available) return;
    const now = clock.now();
    if (failure === undefined) {
      this.finish(job, 'printed', { state: 'printed', printed_at: now.toISOString(), last_error: null, next_attempt_at: null }, undefined);
      return;
    }
    const error = isDeviceError(failure) ? failure : undefined;
    if (error?.detail.maybePrinted === false) {
      const delay = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (job.attempts - 1));
      const nextAt = new Date(now.getTime() + delay).toISOString();
      this.finish(job, 'failed', { state: 'failed_waiting', next_attempt_at: nextAt, last_error: error.message }, error);
      return;
    }
    this.options.logger.warn('print job may have printed', { jobId: job.id, err: String(failure) });
    this.finish(job, 'uncertain', { state: 'uncertain', last_error: uncertainMessage(error), next_attempt_at: null }, error);
  }

  private finish(
    job: PrintJobRow,
    outcome: AttemptOutcome,
    change: Parameters<PrintJobQueries['set']>[1],
    error: DeviceError | undefined,
  ): void {
    this.options.jobs.set(job, change);
    this.options.onChange(job.id);
    this.options.onAttempt?.(job, outcome, error);
  }

  /** The write, or a timeout after which its bytes may still be on their way (so: maybe printed). */
  private withinLimit(write: Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const handle = this.timers.setTimeout(
        () => reject(new DeviceError('DEVICE_TIMEOUT', '打印机长时间无响应', { detail: { maybePrinted: true } })),
        this.writeTimeoutMs,
      );
      write.then(
        () => (this.timers.clearTimeout(handle), resolve()),
        (error: unknown) => (this.timers.clearTimeout(handle), reject(error)),
      );
    });
  }
}
