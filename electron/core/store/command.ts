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
  /**
   * Whom the operation acts for, when not the command's actor: a reviewer re-sending a teller's edit from the inbox
   * is audited as the reviewer, while the edit stays the teller's for the central office's role check.
   */
  actor?: Actor;
}

/** What a command body returns: its result plus the audit entry and outbox operation it causes. */
export interface CommandOutcome<T> {
  result: T;
  audit: AuditRecord;
  /**
   * Omitted only by commands that change this device's own sync bookkeeping (enrolment, acknowledging a refusal):
   * the central office has nothing to learn from them, and a type it does not know would block the whole upload.
   */
  outbox?: OutboxRecord;
}

export interface CommandRunner {
  /**
   * Runs `body` and writes its audit entry and outbox operation in the same
   * transaction: all of it commits, or none of it does.
   */
  run<T>(actor: Actor, body: (db: Database) => CommandOutcome<T>): T;
  /** Calls `listener` after each commit that wrote an outbox operation (the sync engine wakes up to push it). */
  onOutbox(listener: () => void): () => void;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function createCommandRunner(db: Database, deps: CoreDeps, stationCode: () => string): CommandRunner {
  const lastHash: Statement<[], { hash: string }> = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insertAudit = db.prepare(
    `INSERT INTO audit_log (id, at, station_code, window_no, operator_id, action, class, entity_type, entity_id, before_json, after_json, prev_hash, hash)
     VALUES (@id, @at, @stationCode, @windowNo, @operatorId, @action, @class, @entityType, @entityId, @beforeJson, @afterJson, @prevHash, @hash)`,
  );
  // Outbox rows are kept after they are pushed, so MAX(seq)+1 stays gap-free and never reuses a number.
  // The actor travels with the operation: the central office checks the account and role of whoever ran it.
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (seq, op_id, type, payload, created_at, operator_id, window_no)
     VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?)`,
  );
  const listeners = new Set<() => void>();

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
        const { outbox } = outcome;
        if (outbox) {
          const on = outbox.actor ?? actor;
          insertOutbox.run(deps.newId(), outbox.type, JSON.stringify(outbox.payload), at, on.operatorId, on.windowNo);
        }
        return { result: outcome.result, queued: outbox !== undefined };
      });
      // IMMEDIATE takes the write lock up front, so the chain head read above cannot go stale.
      const { result, queued } = tx.immediate();
      if (queued) listeners.forEach((l) => l());
      return result;
    },
    onOutbox(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
