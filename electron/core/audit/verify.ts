import type { Database } from 'better-sqlite3';
import type { AuditClass, ChainProblem, ChainVerification } from '#shared/api/audit';
import { GENESIS_HASH, auditHash, type AuditFields } from './chain';

/** An audit_log row as stored. */
export interface AuditRow {
  seq: number;
  id: string;
  at: string;
  station_code: string;
  window_no: number | null;
  operator_id: string | null;
  action: string;
  class: AuditClass;
  entity_type: string | null;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export function auditFieldsOf(row: AuditRow): AuditFields {
  return {
    id: row.id,
    at: row.at,
    stationCode: row.station_code,
    windowNo: row.window_no,
    operatorId: row.operator_id,
    action: row.action,
    class: row.class,
    entityType: row.entity_type,
    entityId: row.entity_id,
    beforeJson: row.before_json,
    afterJson: row.after_json,
  };
}

interface ChainBreak {
  problem: ChainProblem;
  firstBadSeq: number;
  message: string;
}

const broken = (problem: ChainProblem, firstBadSeq: number, message: string): ChainBreak => ({ problem, firstBadSeq, message });

/**
 * Walks the log in seq order, recomputing every hash, and stops at the first entry that does not hold.
 * Rows are streamed, so memory stays flat however long the log is.
 *
 * Seqs are rowids that are never deleted, so they run 1, 2, 3… without gaps. Each row must hash to its stored
 * hash (else it was modified) and must name the previous row's hash (else rows were deleted, inserted or moved;
 * which one is told apart by where the missing link turns up).
 */
export function verifyAuditChain(db: Database): ChainVerification {
  const rows = db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate();
  const nextRow = () => {
    const n = rows.next();
    return n.done ? undefined : n.value;
  };
  let prev: AuditRow | undefined;
  let failure: ChainBreak | undefined;
  for (const row of rows) {
    failure = checkEntry(db, prev, row, nextRow);
    if (failure) break;
    prev = row;
  }
  const entries = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit_log').get()!.n;
  if (failure) return { ok: false, entries, headSeq: null, headHash: null, ...failure, message: `审计链已损坏：${failure.message}` };
  return {
    ok: true,
    entries,
    headSeq: prev?.seq ?? null,
    headHash: prev?.hash ?? null,
    message: entries === 0 ? '审计日志为空' : `审计链完整：共${entries}条记录，逐条校验通过`,
  };
}

function checkEntry(db: Database, prev: AuditRow | undefined, row: AuditRow, nextRow: () => AuditRow | undefined): ChainBreak | undefined {
  const expectedSeq = (prev?.seq ?? 0) + 1;
  if (row.seq > expectedSeq) {
    const missing = row.seq - 1 === expectedSeq ? `第${expectedSeq}条` : `第${expectedSeq}至${row.seq - 1}条`;
    return broken('deleted', expectedSeq, `${missing}记录已被删除`);
  }
  if (row.seq < expectedSeq) return broken('inserted', row.seq, `序号为${row.seq}的记录不是系统写入的（序号从1开始连续编号）`);
  if (auditHash(row.prev_hash, auditFieldsOf(row)) !== row.hash) {
    return broken('modified', row.seq, `第${row.seq}条记录的内容与其哈希不符，已被修改`);
  }
  if (row.prev_hash === (prev?.hash ?? GENESIS_HASH)) return undefined;
  return classifyBrokenLink(db, prev, row, nextRow());
}

/** `row` hashes correctly but does not follow `prev`: find out whether something was inserted, moved or removed. */
function classifyBrokenLink(db: Database, prev: AuditRow | undefined, row: AuditRow, next: AuditRow | undefined): ChainBreak {
  const expected = prev?.hash ?? GENESIS_HASH;
  // Both point at the same predecessor: prev was slipped in between.
  if (prev && row.prev_hash === prev.prev_hash) {
    return broken('inserted', prev.seq, `第${prev.seq}条记录是插入的：其后的第${row.seq}条记录仍链接到它之前的记录`);
  }
  if (next && next.prev_hash === expected) {
    if (row.prev_hash === next.hash) return broken('reordered', row.seq, `第${row.seq}条与第${next.seq}条记录的顺序被调换`);
    return broken('inserted', row.seq, `第${row.seq}条记录是插入的：其后的第${next.seq}条记录链接到它之前的记录`);
  }
  const successor = db
    .prepare<[string, number], { seq: number }>('SELECT seq FROM audit_log WHERE prev_hash = ? AND seq > ? ORDER BY seq LIMIT 1')
    .get(expected, row.seq);
  if (successor) {
    const after = prev ? `第${prev.seq}条之后` : '链首';
    return broken('reordered', row.seq, `记录顺序被改动：本应位于${after}的记录现为第${successor.seq}条，第${row.seq}条不应在此位置`);
  }
  if (!prev) return broken('unlinked', row.seq, `第${row.seq}条记录不是链的起点：更早的记录可能被删除后重新编号`);
  return broken(
    'unlinked',
    prev.seq,
    `第${row.seq}条记录与第${prev.seq}条记录的哈希链接断开：第${prev.seq}条可能被修改后重新计算了哈希，或两者之间的记录被删除后重新编号`,
  );
}
