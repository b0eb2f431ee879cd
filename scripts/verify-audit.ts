import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { AUDIT_ACTION_LABELS, AUDIT_CLASS_LABELS, CHAIN_PROBLEM_LABELS, auditClassSchema, type AuditClass } from '#shared/api/audit';
import { STATION_TIME_ZONE } from '#shared/api/station';
import { formatLocal } from '#core/platform/local-time';
import { verifyAuditChain } from '#core/audit/verify';
import { STORE_FILE } from '#core/index';

/**
 * `tsx scripts/verify-audit.ts <data folder or .db file> [--class key] [--operator <username>]`
 *
 * Verifies a station's audit chain and lists its entries grouped by class and operator, for an auditor working on
 * a copy of the store. The store is opened read-only. Exit code 0: chain intact; 1: chain broken; 2: bad usage or
 * not a readable store.
 */
const USAGE = '用法：tsx scripts/verify-audit.ts <数据目录或 .db 文件> [--class key|general|in_process] [--operator <用户名>]\n';

class UsageError extends Error {}

interface ListedRow {
  seq: number;
  at: string;
  window_no: number | null;
  action: string;
  class: AuditClass;
  entity_type: string | null;
  entity_id: string | null;
  operator_id: string | null;
  username: string | null;
  display_name: string | null;
}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { class: { type: 'string' }, operator: { type: 'string' } } });
  } catch (err) {
    throw new UsageError(`参数有误：${(err as Error).message}`);
  }
  const [target, ...extra] = parsed.positionals;
  if (!target || extra.length) throw new UsageError('请给出一个数据目录或数据库文件');
  const cls = parsed.values.class === undefined ? undefined : auditClassSchema.safeParse(parsed.values.class);
  if (cls && !cls.success) throw new UsageError(`--class 只能是 key（关键操作）、general（一般操作）或 in_process（过程操作）`);
  return { target, cls: cls?.data, operator: parsed.values.operator };
}

function openStoreReadOnly(target: string): Database {
  if (!existsSync(target)) throw new UsageError(`找不到 ${target}`);
  const file = statSync(target).isDirectory() ? join(target, STORE_FILE) : target;
  if (!existsSync(file)) throw new UsageError(`${target} 中没有 ${STORE_FILE}`);
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get()) return db;
  } catch {
    // Not an SQLite file at all: the same answer as a database without the log.
  }
  db?.close();
  throw new UsageError(`${file} 不是一窗通的数据库（没有审计日志表）`);
}

/** Writes in blocks, so millions of entries cost thousands of writes rather than millions. */
function blockWriter() {
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    lines = [];
  };
  const line = (text: string) => {
    lines.push(text);
    if (lines.length >= 1000) flush();
  };
  return { line, flush };
}

function printVerification(db: Database): boolean {
  const result = verifyAuditChain(db);
  const lines = [`审计日志：${db.name}`];
  if (result.ok) {
    lines.push(`✓ ${result.message}`);
    if (result.headSeq !== null)
      lines.push(`  链头：第${result.headSeq}条 ${result.headHash}（与日结单或中心留存的链头核对，可发现末尾记录被删除）`);
  } else {
    lines.push(
      `✗ ${result.message}`,
      `  问题：${CHAIN_PROBLEM_LABELS[result.problem!]}；第${result.firstBadSeq}条起的记录不可信，共${result.entries}条记录`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return result.ok;
}

function printEntries(db: Database, cls: AuditClass | undefined, operator: string | undefined): void {
  if (operator !== undefined && !db.prepare('SELECT 1 FROM operator WHERE username = ?').get(operator)) {
    throw new UsageError(`没有用户名为 ${operator} 的操作员`);
  }
  const filter = 'WHERE (@cls IS NULL OR a.class = @cls) AND (@operator IS NULL OR o.username = @operator)';
  const from = 'FROM audit_log a LEFT JOIN operator o ON o.id = a.operator_id';
  const classOrder = "CASE a.class WHEN 'key' THEN 0 WHEN 'general' THEN 1 ELSE 2 END";
  const params = { cls: cls ?? null, operator: operator ?? null };
  const counts = new Map<string, number>();
  for (const c of db
    .prepare<typeof params, { class: string; operator_id: string | null; n: number }>(
      `SELECT a.class, a.operator_id, COUNT(*) AS n ${from} ${filter} GROUP BY a.class, a.operator_id`,
    )
    .iterate(params)) {
    counts.set(c.class, (counts.get(c.class) ?? 0) + c.n);
    counts.set(`${c.class}/${c.operator_id}`, c.n);
  }

  const out = blockWriter();
  const filters = [cls && `类别：${AUDIT_CLASS_LABELS[cls]}`, operator && `操作员：${operator}`].filter(Boolean).join('；');
  out.line('');
  out.line(`按类别和操作员分组${filters ? `（${filters}）` : ''}：`);
  if (counts.size === 0) out.line('  （没有符合条件的记录）');
  let group = '';
  let subgroup = '';
  const rows = db
    .prepare<typeof params, ListedRow>(
      `SELECT a.seq, a.at, a.window_no, a.action, a.class, a.entity_type, a.entity_id, a.operator_id, o.username, o.display_name
       ${from} ${filter} ORDER BY ${classOrder}, o.username IS NULL, o.username, a.operator_id, a.seq`,
    )
    .iterate(params);
  for (const r of rows) {
    if (r.class !== group) {
      group = r.class;
      subgroup = '';
      out.line(`【${AUDIT_CLASS_LABELS[r.class]}】${counts.get(r.class)}条`);
    }
    if (`${r.operator_id}` !== subgroup) {
      subgroup = `${r.operator_id}`;
      const who = r.operator_id === null ? '系统' : r.username ? `${r.display_name}（${r.username}）` : `未知操作员 ${r.operator_id}`;
      out.line(`  ${who} ${counts.get(`${r.class}/${r.operator_id}`)}条`);
    }
    const window = r.window_no === null ? '' : `${r.window_no}号窗口`;
    const entity = r.entity_type ? `${r.entity_type} ${r.entity_id ?? ''}`.trim() : '';
    const action = AUDIT_ACTION_LABELS[r.action] ?? r.action;
    out.line(
      `    #${String(r.seq).padEnd(7)} ${formatLocal(r.at, STATION_TIME_ZONE)}  ${[window, action, entity].filter(Boolean).join('  ')}`,
    );
  }
  out.flush();
}

function main(argv: string[]): number {
  try {
    const { target, cls, operator } = parse(argv);
    const db = openStoreReadOnly(target);
    try {
      const ok = printVerification(db);
      printEntries(db, cls, operator);
      return ok ? 0 : 1;
    } finally {
      db.close();
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
