import type { Database } from 'better-sqlite3';
import type { StatsRowView } from '#shared/api/queue';
import { emptyStatsRow, queueStats, type QueueFact, type RatingFact, type StatsDimension, type StatsRow } from '#shared/domain/queue/stats';
import type { Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import { instantRange, localTime } from '../platform/local-time';
import { queueStore } from './queue-store';

type StatsDeps = { db: Database; operators: OperatorQueries; timeZone: string };

/** queue.stats: the hall's figures for a range of business dates, from the queue event log and the ratings. */
export function queueStatsHandler(deps: StatsDeps): Pick<Handlers, 'queue.stats'> {
  const read = queueStatsReader(deps);
  return { 'queue.stats': ({ from, to, by }) => read(from, to, by) };
}

/** The hall's figures for a range of business dates, grouped by one dimension, with the total line. */
export function queueStatsReader(deps: StatsDeps) {
  const store = queueStore(deps.db);
  const ratings = deps.db.prepare<[string, string], { ticket_id: string; level: RatingFact['level']; at: string }>(
    'SELECT ticket_id, level, at FROM rating WHERE ticket_id IN (SELECT DISTINCT ticket_id FROM queue_event WHERE at >= ? AND at < ?)',
  );
  const hourOf = (at: number) => Math.floor(localTime(new Date(at), deps.timeZone).msOfDay / 3_600_000);

  return (from: string, to: string, by: StatsDimension) => {
    const range = instantRange(from, to, deps.timeZone);
    const facts: QueueFact[] = store.eventsBetween(range.from!, range.to!).map((e) => ({
      ticketId: e.ticket_id,
      type: e.type,
      at: Date.parse(e.at),
      windowNo: e.window_no,
      operatorId: e.operator_id,
      categoryCode: e.category_code,
    }));
    const rated = ratings.all(range.from!, range.to!).map((r) => ({ ticketId: r.ticket_id, level: r.level, at: Date.parse(r.at) }));
    const settings = store.settings();
    const waitTargetMs = settings.waitTargetMinutes * 60_000;
    const label = (key: string): string => {
      if (by === 'window') return key === '—' ? '未分配' : `${key}号窗口`;
      if (by === 'operator') return deps.operators.byId(key)?.display_name ?? key;
      if (by === 'category') return settings.categories.find((c) => c.code === key)?.name ?? key;
      return `${key}:00–${String(Number(key) + 1).padStart(2, '0')}:00`;
    };
    const labelled = (row: StatsRow, text: string): StatsRowView => ({ ...row, label: text });
    const rows = queueStats(facts, rated, { by, waitTargetMs, hourOf });
    const [total] = queueStats(facts, rated, { by: 'all', waitTargetMs, hourOf });

    return {
      rows: rows.map((r) => labelled(r, label(r.key))),
      total: labelled(total ?? emptyStatsRow(), '合计'),
      waitTargetMinutes: settings.waitTargetMinutes,
    };
  };
}
