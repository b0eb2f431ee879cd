import { RATING_LEVELS, RATING_SCORE, isBadRating, type RatingLevel } from './rating';

/**
 * Hall statistics, computed from the append-only queue event log alone (never from the tickets' current state), so
 * the central office can compute the same figures from the synced events.
 */
export const QUEUE_EVENT_TYPES = [
  'issued',
  'called',
  'recalled',
  'no_show',
  'reactivated',
  'started',
  'held',
  'called_back',
  'transferred',
  'ended',
  'closed',
  'carried_over',
] as const;
export type QueueEventType = (typeof QUEUE_EVENT_TYPES)[number];

export interface QueueFact {
  ticketId: string;
  type: QueueEventType;
  /** Instant, ms since epoch; facts of one ticket come in log order. */
  at: number;
  windowNo: number | null;
  operatorId: string | null;
  /** The ticket's category after the event (a transfer changes it). */
  categoryCode: string;
}

export interface RatingFact {
  ticketId: string;
  level: RatingLevel;
  at: number;
}

export const STATS_DIMENSIONS = ['window', 'operator', 'category', 'hour'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export interface StatsRow {
  key: string;
  /** Tickets called here (first call of a waiting stretch). */
  called: number;
  served: number;
  noShows: number;
  noShowRate: number | null;
  waitAvgMs: number | null;
  waitMaxMs: number | null;
  /** Share of waits longer than the target. */
  overTargetShare: number | null;
  walkUpAvgMs: number | null;
  serviceAvgMs: number | null;
  holdAvgMs: number | null;
  ratings: number;
  ratingAvg: number | null;
  badRatings: number;
  /** Ratings per level, every level present. */
  ratingLevels: Record<RatingLevel, number>;
}

/** No rating at any level: the start of every count. */
export const noRatingLevels = (): Record<RatingLevel, number> =>
  Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as Record<RatingLevel, number>;

/** A row with nothing counted: the total of an empty range. */
export const emptyStatsRow = (key = ''): StatsRow => ({
  key,
  called: 0,
  served: 0,
  noShows: 0,
  noShowRate: null,
  waitAvgMs: null,
  waitMaxMs: null,
  overTargetShare: null,
  walkUpAvgMs: null,
  serviceAvgMs: null,
  holdAvgMs: null,
  ratings: 0,
  ratingAvg: null,
  badRatings: 0,
  ratingLevels: noRatingLevels(),
});

type Dims = Record<StatsDimension | 'all', string>;
type Metric = 'wait' | 'walkUp' | 'service' | 'hold';

interface Acc {
  called: number;
  served: number;
  noShows: number;
  overTarget: number;
  sums: Record<Metric, { n: number; total: number; max: number }>;
  ratings: number;
  scoreTotal: number;
  bad: number;
  levels: Record<RatingLevel, number>;
}

const emptyAcc = (): Acc => ({
  called: 0,
  served: 0,
  noShows: 0,
  overTarget: 0,
  sums: {
    wait: { n: 0, total: 0, max: 0 },
    walkUp: { n: 0, total: 0, max: 0 },
    service: { n: 0, total: 0, max: 0 },
    hold: { n: 0, total: 0, max: 0 },
  },
  ratings: 0,
  scoreTotal: 0,
  bad: 0,
  levels: noRatingLevels(),
});

export interface StatsOptions {
  /** 'all': one row for everything, the total line of a report. */
  by: StatsDimension | 'all';
  waitTargetMs: number;
  /** Local hour (0–23) of an instant in the station's zone. */
  hourOf: (at: number) => number;
}

/** One row per value of the chosen dimension, sorted by key. */
export function queueStats(facts: readonly QueueFact[], ratings: readonly RatingFact[], options: StatsOptions): StatsRow[] {
  const rows = new Map<string, Acc>();
  const acc = (dims: Dims) => {
    const key = dims[options.by];
    let a = rows.get(key);
    if (!a) rows.set(key, (a = emptyAcc()));
    return a;
  };
  const dimsOf = (f: QueueFact): Dims => ({
    window: f.windowNo === null ? '—' : String(f.windowNo),
    operator: f.operatorId ?? '—',
    category: f.categoryCode,
    hour: String(options.hourOf(f.at)).padStart(2, '0'),
    all: '',
  });
  const add = (dims: Dims, metric: Metric, ms: number) => {
    const s = acc(dims).sums[metric];
    s.n += 1;
    s.total += ms;
    s.max = Math.max(s.max, ms);
  };

  const byTicket = new Map<string, QueueFact[]>();
  for (const f of facts) {
    const list = byTicket.get(f.ticketId);
    if (list) list.push(f);
    else byTicket.set(f.ticketId, [f]);
  }
  /** Where each ticket was last served, for its rating. */
  const servedAt = new Map<string, Dims>();

  for (const [ticketId, list] of byTicket) {
    let waitingSince: number | null = null;
    let lastCall: number | null = null;
    let started: number | null = null;
    let heldSince: number | null = null;
    for (const f of list) {
      const dims = dimsOf(f);
      switch (f.type) {
        case 'issued':
        case 'reactivated':
        case 'transferred':
        case 'carried_over':
          if (heldSince !== null && f.type === 'transferred') add(dims, 'hold', f.at - heldSince);
          waitingSince = f.at;
          heldSince = null;
          started = null;
          break;
        case 'called':
          if (waitingSince !== null) {
            const wait = f.at - waitingSince;
            add(dims, 'wait', wait);
            const a = acc(dims);
            a.called += 1;
            if (wait > options.waitTargetMs) a.overTarget += 1;
          }
          waitingSince = null;
          lastCall = f.at;
          break;
        case 'recalled':
          lastCall = f.at;
          break;
        case 'called_back':
          if (heldSince !== null) add(dims, 'hold', f.at - heldSince);
          heldSince = null;
          lastCall = f.at;
          break;
        case 'no_show':
          acc(dims).noShows += 1;
          break;
        case 'started':
          if (lastCall !== null) add(dims, 'walkUp', f.at - lastCall);
          started = f.at;
          break;
        case 'held':
          heldSince = f.at;
          break;
        case 'ended':
          if (started !== null) add(dims, 'service', f.at - started);
          acc(dims).served += 1;
          servedAt.set(ticketId, dims);
          break;
        case 'closed':
          break;
      }
    }
  }

  for (const r of ratings) {
    const dims = servedAt.get(r.ticketId);
    if (!dims) continue;
    const a = acc(options.by === 'hour' ? { ...dims, hour: String(options.hourOf(r.at)).padStart(2, '0') } : dims);
    a.ratings += 1;
    a.scoreTotal += RATING_SCORE[r.level];
    if (isBadRating(r.level)) a.bad += 1;
    a.levels[r.level] += 1;
  }

  const avg = (s: { n: number; total: number }) => (s.n === 0 ? null : Math.round(s.total / s.n));
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, a]) => ({
      key,
      called: a.called,
      served: a.served,
      noShows: a.noShows,
      noShowRate: a.called === 0 ? null : a.noShows / a.called,
      waitAvgMs: avg(a.sums.wait),
      waitMaxMs: a.sums.wait.n === 0 ? null : a.sums.wait.max,
      overTargetShare: a.sums.wait.n === 0 ? null : a.overTarget / a.sums.wait.n,
      walkUpAvgMs: avg(a.sums.walkUp),
      serviceAvgMs: avg(a.sums.service),
      holdAvgMs: avg(a.sums.hold),
      ratings: a.ratings,
      ratingAvg: a.ratings === 0 ? null : Math.round((a.scoreTotal / a.ratings) * 100) / 100,
      badRatings: a.bad,
      ratingLevels: a.levels,
    }));
}
