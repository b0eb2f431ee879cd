import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open';
import { shiftOutbox, WHOLE_OUTBOX } from './outbox-shift';

describe('shiftOutbox', () => {
  /** An outbox with `archived` operations of a former identity (at 0 and below) and `current` ones from 1. */
  function outbox(archived: number, current: number) {
    const db = openStore(':memory:');
    const insert = db.prepare("INSERT INTO outbox (seq, op_id, type, payload, created_at) VALUES (?, ?, 'operator.login', '{}', '')");
    for (let seq = 1 - archived; seq <= current; seq += 1) insert.run(seq, `op${seq}`);
    const rows = () => db.prepare<[], [number, string]>('SELECT seq, op_id FROM outbox ORDER BY seq').raw().all();
    return { db, rows };
  }

  it("moves the rows from a number on up, keeping ids and order and leaving the rows below alone, a former identity's too", () => {
    fc.assert(
      fc.property(fc.nat(5), fc.integer({ min: 1, max: 8 }), fc.nat(9), fc.integer({ min: 1, max: 9 }), (archived, current, at, by) => {
        const from = 1 - archived + (at % (archived + current + 1));
        const { db, rows } = outbox(archived, current);
        const before = rows();
        shiftOutbox(db, from, by);
        expect(rows()).toEqual(before.map(([seq, id]) => [seq >= from ? seq + by : seq, id]));
        db.close();
      }),
      { numRuns: 30 },
    );
  });

  it('moves the whole outbox down, so the acknowledged rows fall at 0 and below and the rest starts at 1', () => {
    fc.assert(
      fc.property(fc.nat(5), fc.integer({ min: 1, max: 8 }), fc.nat(8), (archived, acknowledged, pending) => {
        const { db, rows } = outbox(archived, acknowledged + pending);
        const before = rows();
        shiftOutbox(db, WHOLE_OUTBOX, -acknowledged);
        expect(rows()).toEqual(before.map(([seq, id]) => [seq - acknowledged, id]));
        expect(
          rows()
            .filter(([seq]) => seq > 0)
            .map(([seq]) => seq),
        ).toEqual(Array.from({ length: pending }, (_, i) => i + 1));
        db.close();
      }),
      { numRuns: 30 },
    );
  });
});
