import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrintJobState } from '#shared/api/devices';
import type { PrintDocument } from '#shared/documents/print-document';
import { DeviceError, renderDocument, VirtualPrinter, type PrinterTransport } from '../devices/index';
import { createMemoryLogger } from '../platform/logger';
import { openStore } from '../store/open';
import { manualClock, tempDir } from '../testing/fixture';
import { printJobQueries, RECEIPT_PRINTER } from './print-jobs';
import { PrintWorker, type Timers } from './print-worker';

/** Timers that fire only when the test says so, moving the clock to their due time. */
function fakeTimers(clock: ReturnType<typeof manualClock>) {
  const pending = new Map<number, { due: number; ms: number; run: () => void }>();
  const watchers: Array<{ ms: number; resolve: () => void }> = [];
  let next = 0;
  const timers: Timers = {
    setTimeout(run, ms) {
      pending.set(++next, { due: clock.now().getTime() + ms, ms, run });
      for (const w of watchers.filter((w) => w.ms === ms)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** Resolves when a timer of `ms` is set: the worker has gone idle until then. */
    set: (ms: number) => new Promise<void>((resolve) => watchers.push({ ms, resolve })),
    /** Delays of the timers waiting now. */
    delays: () => [...pending.values()].map((t) => t.ms),
    fireNext() {
      const [id, timer] = [...pending.entries()].sort((a, b) => a[1].due - b[1].due)[0]!;
      pending.delete(id);
      clock.advance(timer.due - clock.now().getTime());
      timer.run();
    },
  };
}

/** A virtual printer whose next writes can fail, or hang until released. */
class ScriptedPrinter implements PrinterTransport {
  readonly target = 'test:printer';
  readonly paper = new VirtualPrinter({ columns: 32 });
  writes = 0;
  private readonly script: Array<Error | Promise<void>> = [];

  failNext(...errors: Error[]): void {
    this.script.push(...errors);
  }

  /** The next write waits; call the returned function to let it through. */
  holdNext(): () => void {
    let release!: () => void;
    this.script.push(new Promise<void>((resolve) => (release = resolve)));
    return release;
  }

  get printed(): string[] {
    return this.paper.jobs.map((j) => j.text);
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.writes++;
    const step = this.script.shift();
    if (step instanceof Error) throw step;
    await step;
    await this.paper.write(bytes);
  }

  status = () => this.paper.status();
  close = async () => {};
}

const notSent = () => new DeviceError('DEVICE_OFFLINE', '打印机未连接或处于离线状态', { detail: { maybePrinted: false } });
const maybeSent = () => new DeviceError('DEVICE_OFFLINE', '打印数据发送失败', { detail: { maybePrinted: true } });

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup() {
  const dir = tempDir();
  const db = openStore(join(dir, 'store.db'));
  const clock = manualClock();
  const fake = fakeTimers(clock);
  const jobs = printJobQueries(db);
  const printer = new ScriptedPrinter();
  const seen = new Map<string, PrintJobState[]>();
  const waiters: Array<{ id: string; state: PrintJobState; resolve: () => void }> = [];
  let n = 0;

  const worker = new PrintWorker({
    jobs,
    printer: RECEIPT_PRINTER,
    transport: () => printer,
    render: (job) => renderDocument(JSON.parse(job.model_json) as PrintDocument, { columns: 32 }),
    clock,
    logger: createMemoryLogger(),
    timers: fake.timers,
    retryBaseMs: 1000,
    retryMaxMs: 8000,
    writeTimeoutMs: 30_000,
    onChange(id) {
      const state = jobs.byId(id)!.state;
      seen.set(id, [...(seen.get(id) ?? []), state]);
      for (const w of waiters.filter((w) => w.id === id && w.state === state)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  cleanups.push(async () => {
    await worker.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    db,
    jobs,
    printer,
    worker,
    fake,
    seen,
    /** Queues a one-line document; returns the job id. */
    add(text: string, options: { blockedBecause?: string } = {}): string {
      const id = `job-${++n}`;
      db.prepare('INSERT INTO document (id, kind, title, model_json, created_at) VALUES (?, ?, ?, ?, ?)').run(
        `doc-${n}`,
        'test',
        text,
        JSON.stringify({ blocks: [{ type: 'text', text }] }),
        clock.now().toISOString(),
      );
      jobs.insert({
        id,
        documentId: `doc-${n}`,
        printer: RECEIPT_PRINTER,
        createdAt: clock.now().toISOString(),
        operatorId: null,
        ...options,
      });
      worker.wake();
      return id;
    },
    /** Resolves when the job next reaches `state`. */
    reaches: (id: string, state: PrintJobState) => new Promise<void>((resolve) => waiters.push({ id, state, resolve })),
    job: (id: string) => jobs.byId(id)!,
  };
}

describe('PrintWorker', () => {
  it('prints jobs one at a time in queue order, each marked printed only after its bytes were accepted', async () => {
    const t = setup();
    const release = t.printer.holdNext();
    const [a, b, c] = [t.add('第一张'), t.add('第二张'), t.add('第三张')];
    const printing = t.reaches(a, 'printing');
    t.worker.start();
    await printing;
    expect(t.printer.printed).toEqual([]);
    expect([t.job(b).state, t.job(c).state]).toEqual(['queued', 'queued']);
    release();
    await t.reaches(c, 'printed');
    expect(t.printer.printed).toEqual(['第一张', '第二张', '第三张']);
    for (const id of [a, b, c]) expect(t.job(id)).toMatchObject({ state: 'printed', attempts: 1, printed_at: expect.any(String) });
    expect(t.seen.get(a)).toEqual(['printing', 'printed']);
  });

  it('retries a job that sent nothing after pauses that double up to the limit, and waits idle in between', async () => {
    const t = setup();
    t.printer.failNext(notSent(), notSent(), notSent(), notSent(), notSent());
    const first = t.add('回执');
    // The next job waits behind the first: order is kept.
    const second = t.add('告知单');
    const expected = [1000, 2000, 4000, 8000, 8000];
    let idle = t.fake.set(expected[0]!);
    t.worker.start();
    for (const [i, delay] of expected.entries()) {
      await idle;
      // Exactly one timer, the retry: no polling while waiting.
      expect(t.fake.delays()).toEqual([delay]);
      expect(t.job(first)).toMatchObject({ state: 'failed_waiting', attempts: i + 1, last_error: expect.stringContaining('离线') });
      expect(t.job(second).state).toBe('queued');
      idle = i + 1 < expected.length ? t.fake.set(expected[i + 1]!) : t.reaches(second, 'printed');
      t.fake.fireNext();
    }
    await idle;
    expect(t.job(first)).toMatchObject({ state: 'printed', attempts: 6, last_error: null });
    expect(t.printer.printed).toEqual(['回执', '告知单']);
    expect(t.fake.delays()).toEqual([]);
  });

  it('keeps a job through paper out and prints it exactly once when the paper is back', async () => {
    const t = setup();
    t.printer.paper.paper = 'out';
    const id = t.add('受理回执');
    const waiting = t.reaches(id, 'failed_waiting');
    t.worker.start();
    await waiting;
    expect(t.job(id).last_error).toContain('缺纸');
    t.printer.paper.paper = 'ok';
    const printed = t.reaches(id, 'printed');
    t.worker.wake(true);
    await printed;
    expect(t.printer.printed).toEqual(['受理回执']);
    expect(t.printer.paper.droppedJobs).toBe(0);
    expect(t.job(id).attempts).toBe(2);
  });

  it('does not retry a failure after which the bytes may have left: the teller decides', async () => {
    const t = setup();
    t.printer.failNext(maybeSent());
    const id = t.add('办结凭证');
    const uncertain = t.reaches(id, 'uncertain');
    t.worker.start();
    await uncertain;
    expect(t.job(id).last_error).toMatch(/可能已打出.*已打印.*补打/);
    expect(t.fake.delays()).toEqual([]);
    // Even a printer coming back does not print it again; the queue goes on with the next job.
    const next = t.add('下一张');
    t.worker.wake(true);
    await t.reaches(next, 'printed');
    expect(t.job(id).state).toBe('uncertain');
    expect(t.printer.writes).toBe(2);
    expect(t.printer.printed).toEqual(['下一张']);
  });

  it('treats a write that never finishes as uncertain once its limit has passed', async () => {
    const t = setup();
    const release = t.printer.holdNext();
    const id = t.add('回执');
    const writing = t.fake.set(30_000);
    t.worker.start();
    await writing;
    expect(t.job(id).state).toBe('printing');
    const uncertain = t.reaches(id, 'uncertain');
    t.fake.fireNext();
    await uncertain;
    expect(t.job(id).last_error).toContain('打印机长时间无响应');
    // However late the bytes go through now, the job stays for the teller to decide.
    release();
  });

  it('hands a job left mid-print by a previous run to the teller instead of printing it again', async () => {
    const t = setup();
    const id = t.add('回执');
    t.jobs.set(t.job(id), { state: 'printing', attempts: 1 });
    const other = t.add('告知单');
    const printed = t.reaches(other, 'printed');
    t.worker.start();
    await printed;
    expect(t.job(id)).toMatchObject({ state: 'uncertain', last_error: expect.stringContaining('程序已退出') });
    expect(t.printer.printed).toEqual(['告知单']);
  });

  it('passes over a blocked job and one that cannot be laid out, and prints the rest', async () => {
    const t = setup();
    const blocked = t.add('张\uE000', { blockedBecause: '含有打印机无法打印的字符' });
    const broken = t.add('坏单据');
    t.db
      .prepare('UPDATE document SET model_json = ? WHERE id = ?')
      .run(JSON.stringify({ blocks: [{ type: 'qr', data: '' }] }), t.job(broken).document_id);
    const fine = t.add('正常单据');
    const printed = t.reaches(fine, 'printed');
    t.worker.start();
    await printed;
    expect(t.job(blocked)).toMatchObject({ state: 'blocked', attempts: 0, last_error: '含有打印机无法打印的字符' });
    expect(t.job(broken)).toMatchObject({ state: 'blocked', last_error: expect.stringContaining('无法排版') });
    expect(t.printer.printed).toEqual(['正常单据']);
  });
});
