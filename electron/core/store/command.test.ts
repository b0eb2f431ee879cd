import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/errors';
import { GENESIS_HASH, auditHash } from '../audit/chain';
import { createMemoryLogger } from '../platform/logger';
import { manualClock, tempDir } from '../testing/fixture';
import { createCommandRunner } from './command';
import { openStore } from './open';

function setup() {
  const db = openStore(join(tempDir(), 'store.db'));
  const runner = createCommandRunner(db, { clock: manualClock(), newId: uuidv7, logger: createMemoryLogger() }, () => '330106001');
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { db, runner, count };
}

const actor = { operatorId: 'op-1', windowNo: 2 };

describe('command runner', () => {
  it('writes the change, one audit entry and one outbox operation together', () => {
    const { db, runner, count } = setup();
    const result = runner.run(actor, (tx) => {
      tx.prepare("INSERT INTO meta (key, value) VALUES ('a', '1')").run();
      return {
        result: 42,
        audit: { action: 'test.set', class: 'general', entityId: 'a', after: { a: 1 } },
        outbox: { type: 'test.set', payload: { a: 1 } },
      };
    });
    expect(result).toBe(42);
    expect([count('meta'), count('audit_log'), count('outbox')]).toEqual([1, 1, 1]);
    const audit = db.prepare('SELECT * FROM audit_log').get() as Record<string, unknown>;
    expect(audit).toMatchObject({
      operator_id: 'op-1',
      window_no: 2,
      station_code: '330106001',
      action: 'test.set',
      after_json: '{"a":1}',
      prev_hash: GENESIS_HASH,
    });
    expect(db.prepare('SELECT seq, type, payload FROM outbox').get()).toEqual({ seq: 1, type: 'test.set', payload: '{"a":1}' });
  });

  it('leaves no partial rows when the body throws after writing', () => {
    const { runner, count } = setup();
    expect(() =>
      runner.run(actor, (tx) => {
        tx.prepare("INSERT INTO meta (key, value) VALUES ('b', '1')").run();
        throw new ApiError('CONFLICT');
      }),
    ).toThrow(ApiError);
    expect([count('meta'), count('audit_log'), count('outbox')]).toEqual([0, 0, 0]);
  });

  it('leaves no partial rows when the audit or outbox write itself fails', () => {
    const { runner, count } = setup();
    expect(() =>
      runner.run(actor, (tx) => {
        tx.prepare("INSERT INTO meta (key, value) VALUES ('c', '1')").run();
        // An invalid audit class violates the table's CHECK after the body's write.
        return { result: null, audit: { action: 'x', class: 'bogus' as never }, outbox: { type: 'x', payload: {} } };
      }),
    ).toThrow(/CHECK/);
    expect([count('meta'), count('audit_log'), count('outbox')]).toEqual([0, 0, 0]);
  });

  it('numbers outbox operations without gaps and chains audit hashes', () => {
    const { db, runner } = setup();
    for (let i = 0; i < 5; i++) {
      try {
        runner.run(actor, () => {
          if (i === 2) throw new Error('fails');
          return { result: i, audit: { action: `a${i}`, class: 'general' }, outbox: { type: 't', payload: i } };
        });
      } catch {
        // the failed command must not consume a sequence number
      }
    }
    expect(db.prepare('SELECT seq FROM outbox ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }]);
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number | null>[];
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      const fields = {
        id: r.id as string,
        at: r.at as string,
        stationCode: r.station_code as string,
        windowNo: r.window_no as number | null,
        operatorId: r.operator_id as string | null,
        action: r.action as string,
        class: r.class as 'general',
        entityType: r.entity_type as string | null,
        entityId: r.entity_id as string | null,
        beforeJson: r.before_json as string | null,
        afterJson: r.after_json as string | null,
      };
      expect(r.hash).toBe(auditHash(prev, fields));
      prev = r.hash as string;
    }
  });
});
