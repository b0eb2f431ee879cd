import type { Database, Statement } from 'better-sqlite3';
import { GENESIS_HASH, auditHash, type AuditClass, type AuditFields } from '../audit/chain';
import type { CoreDeps } from '../platform/deps';

/** Who runs a command and at which window; null operator for system actions. */
export interface Actor {
  operatorId: string | null;
  windowNo: number | null;
}

export interface AuditRecord {
  action: string;
  class: AuditClass;
  entityType?: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
}

export interface OutboxRecord {
  type: string;
  payload: unknown;
}

/** What a command body returns: its result plus the audit entry and outbox operation it causes. */
export interface CommandOutcome<T> {
  result: T;
  audit: AuditRecord;
  outbox: OutboxRecord;
}

export interface CommandRunner {
  /**
   * Runs `body` and writes its audit entry and outbox operation in the same
   * transaction: all of it commits, or none of it does.
   */
  run<T>(actor: Actor, body: (db: Database) => CommandOutcome<T>): T;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function createCommandRunner(db: Database, deps: CoreDeps, stationCode: () => string): CommandRunner {
  const lastHash: Statement<[], { hash: string }> = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insertAudit = db.prepare(
    `INSERT INTO audit_log (id, at, station_code, window_no, operator_id, action, class, entity_type, entity_id, before_json, after_json, prev_hash, hash)
     VALUES (@id, @at, @stationCode, @windowNo, @operatorId, @action, @class, @entityType, @entityId, @beforeJson, @afterJson, @prevHash, @hash)`,
  );
  // Outbox rows are kept after they are pushed, so MAX(seq)+1 stays gap-free and never reuses a number.
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (seq, op_id, type, payload, created_at)
     VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?)`,
  );

  return {
    run<T>(actor: Actor, body: (db: Database) => CommandOutcome<T>): T {
      const tx = db.transaction(() => {
        const outcome = body(db);
        const at = deps.clock.now().toISOString();
        const fields: AuditFields = {
          id: deps.newId(),
          at,
          stationCode: stationCode(),
          windowNo: actor.windowNo,
          operatorId: actor.operatorId,
          action: outcome.audit.action,
          class: outcome.audit.class,
          entityType: outcome.audit.entityType ?? null,
          entityId: outcome.audit.entityId ?? null,
          beforeJson: json(outcome.audit.before),
          afterJson: json(outcome.audit.after),
        };
        const prevHash = lastHash.get()?.hash ?? GENESIS_HASH;
        insertAudit.run({ ...fields, prevHash, hash: auditHash(prevHash, fields) });
        insertOutbox.run(deps.newId(), outcome.outbox.type, JSON.stringify(outcome.outbox.payload), at);
        return outcome.result;
      });
      // IMMEDIATE takes the write lock up front, so the chain head read above cannot go stale.
      return tx.immediate();
    },
  };
}
