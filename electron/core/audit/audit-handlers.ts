import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '#shared/api/audit';
import { STATION_TIME_ZONE } from '#shared/api/station';
import { redactPersonalNumbers } from '#shared/log/logger';
import type { Handlers } from '../api/handlers';
import { instantRange, isInstant } from '../platform/local-time';
import { screenAuditLog } from './screening';
import { verifyAuditChain, type AuditRow } from './verify';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function maskPersonalNumbers(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactPersonalNumbers(value);
  if (Array.isArray(value)) return value.map(maskPersonalNumbers);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalNumbers(v)]));
  return value;
}

/** Stored JSON, or the raw text when a tampered row no longer parses: the audit view must still show it. */
function parseStored(text: string | null): JsonValue {
  if (text === null) return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

type NamedAuditRow = AuditRow & { operator_name: string | null };

export function toAuditEntry(row: NamedAuditRow): AuditEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    stationCode: row.station_code,
    windowNo: row.window_no,
    operatorId: row.operator_id,
    operatorName: row.operator_name,
    action: row.action,
    class: row.class,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: maskPersonalNumbers(parseStored(row.before_json)),
    after: maskPersonalNumbers(parseStored(row.after_json)),
  };
}

const WITH_OPERATOR = 'SELECT a.*, o.display_name AS operator_name FROM audit_log a LEFT JOIN operator o ON o.id = a.operator_id';

/** Chain verification, the log with filters, and the screening rules; for administrators only (see the contract). */
export function auditHandlers({ db }: { db: Database }): Pick<Handlers, 'audit.verify' | 'audit.list' | 'audit.screen'> {
  const inRange = db.prepare<[string, string], NamedAuditRow>(`${WITH_OPERATOR} WHERE a.at >= ? AND a.at < ? ORDER BY a.seq`);

  return {
    'audit.verify': () => verifyAuditChain(db),

    'audit.list'(p) {
      const range = instantRange(p.from, p.to, STATION_TIME_ZONE);
      const filters: [string, string | number | undefined][] = [
        ['a.class = ?', p.class],
        ['a.operator_id = ?', p.operatorId],
        ['a.action = ?', p.action],
        ['a.at >= ?', range.from],
        ['a.at < ?', range.to],
        ['a.seq < ?', p.beforeSeq],
      ];
      const used = filters.filter(([, v]) => v !== undefined);
      const where = used.length ? ` WHERE ${used.map(([sql]) => sql).join(' AND ')}` : '';
      // One row more than asked tells whether another page exists.
      const rows = db
        .prepare<unknown[], NamedAuditRow>(`${WITH_OPERATOR}${where} ORDER BY a.seq DESC LIMIT ?`)
        .all(...used.map(([, v]) => v), p.limit + 1);
      const page = rows.slice(0, p.limit);
      return { entries: page.map(toAuditEntry), nextBeforeSeq: rows.length > p.limit ? page.at(-1)!.seq : null };
    },

    'audit.screen'({ from, to }) {
      const range = instantRange(from, to, STATION_TIME_ZONE);
      // An `at` that is no instant was tampered with; audit.verify reports that entry, the rules cannot place it.
      const rows = inRange.all(range.from!, range.to!).filter((row) => isInstant(row.at));
      const entries = rows.map((row) => ({
        seq: row.seq,
        at: row.at,
        operatorId: row.operator_id,
        operatorName: row.operator_name,
        action: row.action,
        entityId: row.entity_id,
        after: parseStored(row.after_json),
      }));
      return screenAuditLog(entries);
    },
  };
}
