import { describe, expect, it } from 'vitest';
import { queueStats, type QueueFact } from './stats';

const MIN = 60_000;
const f = (ticketId: string, type: QueueFact['type'], atMin: number, windowNo: number | null = 1, categoryCode = 'A'): QueueFact => ({
  ticketId,
  type,
  at: atMin * MIN,
  windowNo,
  operatorId: windowNo === null ? null : `op${windowNo}`,
  categoryCode,
});
const opts = { waitTargetMs: 10 * MIN, hourOf: (at: number) => Math.floor(at / 3_600_000) };

describe('hall statistics from the event log', () => {
  const facts = [
    // t1: waits 5, walks up 1, served 10 with a 3-minute hold in between.
    f('t1', 'issued', 0, null),
    f('t1', 'called', 5),
    f('t1', 'started', 6),
    f('t1', 'held', 8),
    f('t1', 'called_back', 11),
    f('t1', 'ended', 16),
    // t2: waits 20 (over target), absent, reactivated, waits 2 more at window 2, served there.
    f('t2', 'issued', 0, null),
    f('t2', 'called', 20),
    f('t2', 'recalled', 21),
    f('t2', 'no_show', 22),
    f('t2', 'reactivated', 30, null),
    f('t2', 'called', 32, 2),
    f('t2', 'started', 33, 2),
    f('t2', 'ended', 40, 2),
  ];

  it('measures wait, walk-up, service and hold per window, with no-shows and the share over the target', () => {
    const rows = queueStats(
      facts,
      [
        { ticketId: 't1', level: 'very_satisfied', at: 17 * MIN },
        { ticketId: 't2', level: 'dissatisfied', at: 41 * MIN },
      ],
      { ...opts, by: 'window' },
    );
    expect(rows.map((r) => r.key)).toEqual(['1', '2']);
    expect(rows[0]).toMatchObject({
      called: 2,
      served: 1,
      noShows: 1,
      noShowRate: 0.5,
      waitAvgMs: 12.5 * MIN,
      waitMaxMs: 20 * MIN,
      overTargetShare: 0.5,
      walkUpAvgMs: 1 * MIN,
      serviceAvgMs: 10 * MIN,
      holdAvgMs: 3 * MIN,
      ratings: 1,
      ratingAvg: 5,
      badRatings: 0,
    });
    expect(rows[1]).toMatchObject({
      called: 1,
      served: 1,
      waitAvgMs: 2 * MIN,
      walkUpAvgMs: MIN,
      serviceAvgMs: 7 * MIN,
      ratings: 1,
      ratingAvg: 2,
      badRatings: 1,
      ratingLevels: { very_satisfied: 0, satisfied: 0, basically_satisfied: 0, dissatisfied: 1, very_dissatisfied: 0 },
    });
  });

  it('groups by category, and by the hour each figure was measured in', () => {
    expect(queueStats(facts, [], { ...opts, by: 'category' }).map((r) => [r.key, r.served])).toEqual([['A', 2]]);
    const late = [f('t3', 'issued', 50, null), f('t3', 'called', 65), f('t3', 'started', 66), f('t3', 'ended', 70)];
    const rows = queueStats([...facts, ...late], [], { ...opts, by: 'hour' });
    expect(rows.map((r) => [r.key, r.called, r.served])).toEqual([
      ['00', 3, 2],
      ['01', 1, 1],
    ]);
  });
});
