import { Bench, type Task } from 'tinybench';

export interface Row {
  name: string;
  fn: () => unknown;
  /** Name of the row this one is compared against, measured in the same run. */
  baseline?: string;
  /** p99 budget in milliseconds, where the issue sets one. */
  budgetP99Ms?: number;
  /** Untimed preparation before every iteration, e.g. freeing a window before timing a call. */
  beforeEach?: () => unknown;
}

const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);

/** Runs rows with tinybench and prints medians, p99 and ratios to their baselines as a Markdown table. */
export async function runGroup(title: string, rows: Row[], options: { time?: number; iterations?: number } = {}): Promise<string> {
  const bench = new Bench({ time: options.time ?? 1000, iterations: options.iterations ?? 20, warmup: true });
  for (const row of rows) bench.add(row.name, row.fn, row.beforeEach ? { beforeEach: async () => void (await row.beforeEach!()) } : {});
  await bench.run();
  const stats = new Map<string, { p50: number; p99: number; samples: number }>();
  for (const task of bench.tasks as Task[]) {
    const r = task.result;
    if (!r || !('latency' in r)) throw new Error(`bench row ${task.name} failed: ${JSON.stringify(r)}`);
    stats.set(task.name, { p50: r.latency.p50, p99: r.latency.p99, samples: r.latency.samplesCount });
  }
  const lines = [`### ${title}`, '', '| row | median | p99 | vs baseline (median) | budget | samples |', '|---|---:|---:|---|---|---:|'];
  for (const row of rows) {
    const s = stats.get(row.name)!;
    const base = row.baseline ? stats.get(row.baseline) : undefined;
    const ratio = base ? `${(s.p50 / base.p50).toFixed(2)}× ${row.baseline}` : '—';
    const budget = row.budgetP99Ms === undefined ? '—' : `p99 < ${row.budgetP99Ms} ms: ${s.p99 < row.budgetP99Ms ? 'met' : 'MISSED'}`;
    lines.push(`| ${row.name} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${ratio} | ${budget} | ${s.samples} |`);
  }
  return lines.join('\n');
}
