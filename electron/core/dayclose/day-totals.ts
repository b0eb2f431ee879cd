import type { Database } from 'better-sqlite3';
import type { AmountLine } from '#shared/api/cases';
import type { DayTotals } from '#shared/api/dayclose';
import { INSURANCE_LABELS, INSURANCES } from '#shared/domain/contributions/insurance';
import type { DayCloseRequest } from '#shared/sync/protocol';
import type { OperatorQueries } from '../auth/operators';
import type { queueStatsReader } from '../queue/queue-stats';

interface CaseGroup {
  sub_item_code: string;
  sub_item_name: string;
  status: string;
  n: number;
  fen: number;
}
interface OperatorGroup {
  accepted_by: string;
  sub_item_code: string;
  n: number;
  fen: number;
}

/**
 * A business day's totals as this PC's store knows them: cases (by the business date they were accepted on, whatever
 * their status now; the same rule the central office counts by), amounts per insurance, and the hall's figures.
 */
export function dayTotals(deps: { db: Database; operators: OperatorQueries; queueStats: ReturnType<typeof queueStatsReader> }) {
  const fen = `COALESCE(SUM(json_extract(amounts_json, '$.totalFen')), 0)`;
  const q = {
    byItem: deps.db.prepare<[string], CaseGroup>(
      `SELECT sub_item_code, sub_item_name, status, COUNT(*) AS n, ${fen} AS fen FROM case_file WHERE business_date = ?
       GROUP BY sub_item_code, sub_item_name, status ORDER BY sub_item_code, status`,
    ),
    // The acceptor is the first of accepted_by (a returned case gathers later acceptors after it).
    byOperator: deps.db.prepare<[string], OperatorGroup>(
      `SELECT json_extract(accepted_by, '$[0]') AS accepted_by, sub_item_code, COUNT(*) AS n, ${fen} AS fen FROM case_file
       WHERE business_date = ? GROUP BY 1, sub_item_code ORDER BY 1, sub_item_code`,
    ),
    amounts: deps.db.prepare<[string], { amounts_json: string }>(
      'SELECT amounts_json FROM case_file WHERE business_date = ? AND amounts_json IS NOT NULL',
    ),
    issued: deps.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM ticket WHERE business_date = ?'),
  };
  const operatorName = (id: string) => deps.operators.byId(id)?.display_name ?? id;

  /** What the central office compares: per accepting operator and sub-item. */
  function comparable(businessDate: string): DayCloseRequest['totals'] {
    return q.byOperator
      .all(businessDate)
      .map((r) => ({ operatorId: r.accepted_by, subItemCode: r.sub_item_code, count: r.n, amountFen: r.fen }));
  }

  function totals(businessDate: string): DayTotals {
    const byItem = q.byItem.all(businessDate);
    const perInsurance = new Map<string, number>();
    for (const row of q.amounts.all(businessDate)) {
      const lines = (JSON.parse(row.amounts_json) as { lines: AmountLine[] }).lines;
      for (const line of lines) if (line.insurance) perInsurance.set(line.insurance, (perInsurance.get(line.insurance) ?? 0) + line.fen);
    }
    const hall = deps.queueStats(businessDate, businessDate, 'window').total;
    return {
      businessDate,
      cases: {
        total: { count: byItem.reduce((n, r) => n + r.n, 0), amountFen: byItem.reduce((n, r) => n + r.fen, 0) },
        byItem: byItem.map((r) => ({
          subItemCode: r.sub_item_code,
          subItemName: r.sub_item_name,
          status: r.status,
          count: r.n,
          amountFen: r.fen,
        })),
        byOperator: q.byOperator.all(businessDate).map((r) => ({
          operatorId: r.accepted_by,
          operatorName: operatorName(r.accepted_by),
          subItemCode: r.sub_item_code,
          count: r.n,
          amountFen: r.fen,
        })),
        byInsurance: INSURANCES.filter((i) => perInsurance.has(i)).map((i) => ({
          insurance: INSURANCE_LABELS[i],
          amountFen: perInsurance.get(i)!,
        })),
      },
      tickets: {
        issued: q.issued.get(businessDate)!.n,
        served: hall.served,
        noShows: hall.noShows,
        waitAvgMs: hall.waitAvgMs,
        ratings: hall.ratings,
        ratingAvg: hall.ratingAvg,
        ratingLevels: hall.ratingLevels,
      },
    };
  }

  return { totals, comparable, operatorName };
}
export type DayTotalsReader = ReturnType<typeof dayTotals>;
