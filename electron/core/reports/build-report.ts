import type { Database } from 'better-sqlite3';
import { REPORT_LABELS, type ReportColumn, type ReportKind, type ReportTable } from '#shared/api/reports';
import { INSURANCE_LABELS, type Insurance } from '#shared/domain/contributions/insurance';
import type { CatalogueRef } from '../catalogue/reference';
import { instantRange } from '../platform/local-time';

type Row = ReportTable['rows'][number];

interface Built {
  columns: ReportColumn[];
  rows: Row[];
}

const FINISHED = "('delivered', 'ready_for_pickup', 'approved')";
const OPEN = "('accepted', 'pending_review', 'pending_approval', 'returned')";

/** Sums of the columns that add up (counts and money); averages and rates are left out. */
function totalsOf({ columns, rows }: Built): Row {
  const totals: Row = {};
  for (const c of columns) {
    if (c.type === 'int' || c.type === 'fen')
      totals[c.key] = rows.reduce((sum, r) => sum + (typeof r[c.key] === 'number' ? (r[c.key] as number) : 0), 0);
  }
  totals[columns[0]!.key] = '合计';
  return totals;
}

/**
 * The station's reports, straight from the store: cases (by business date), their
 * documents and amounts, the audit log for notices, and ratings from the hall.
 */
export function reportBuilder(deps: { db: Database; catalogue: CatalogueRef; timeZone: string }) {
  const { db } = deps;

  function daily(from: string, to: string): Built {
    const range = instantRange(from, to, deps.timeZone);
    const cases = db
      .prepare<
        [string, string],
        {
          code: string;
          name: string;
          accepted: number;
          finished: number;
          open: number;
          rejected: number;
          withdrawn: number;
          amount: number;
        }
      >(
        `SELECT sub_item_code AS code, sub_item_name AS name, COUNT(*) AS accepted,
                SUM(status IN ${FINISHED}) AS finished, SUM(status IN ${OPEN}) AS open,
                SUM(status = 'rejected') AS rejected, SUM(status = 'withdrawn') AS withdrawn,
                COALESCE(SUM(CASE WHEN status NOT IN ('rejected', 'withdrawn') THEN json_extract(amounts_json, '$.totalFen') END), 0) AS amount
           FROM case_file WHERE business_date BETWEEN ? AND ? GROUP BY sub_item_code ORDER BY sub_item_code`,
      )
      .all(from, to);
    const notices = new Map(
      db
        .prepare<[string, string], { code: string; n: number }>(
          "SELECT entity_id AS code, COUNT(*) AS n FROM audit_log WHERE action = 'case.notice' AND at >= ? AND at < ? GROUP BY entity_id",
        )
        .all(range.from!, range.to!)
        .map((r) => [r.code, r.n]),
    );
    const codes = [...new Set([...cases.map((c) => c.code), ...notices.keys()])].sort();
    const byCode = new Map(cases.map((c) => [c.code, c]));
    return {
      columns: [
        { key: 'item', title: '办理事项', type: 'text' },
        { key: 'accepted', title: '受理', type: 'int' },
        { key: 'finished', title: '办结', type: 'int' },
        { key: 'open', title: '在办', type: 'int' },
        { key: 'rejected', title: '不予办理', type: 'int' },
        { key: 'withdrawn', title: '撤回', type: 'int' },
        { key: 'notices', title: '一次性告知', type: 'int' },
        { key: 'amount', title: '核定金额', type: 'fen' },
      ],
      rows: codes.map((code) => {
        const c = byCode.get(code);
        return {
          item: `${code} ${c?.name ?? deps.catalogue.subItem(code)?.sub.name ?? ''}`,
          accepted: c?.accepted ?? 0,
          finished: c?.finished ?? 0,
          open: c?.open ?? 0,
          rejected: c?.rejected ?? 0,
          withdrawn: c?.withdrawn ?? 0,
          notices: notices.get(code) ?? 0,
          amount: c?.amount ?? 0,
        };
      }),
    };
  }

  function tellers(from: string, to: string): Built {
    const range = instantRange(from, to, deps.timeZone);
    const rows = db
      .prepare<[{ from: string; to: string; rfrom: string; rto: string }], Row>(
        `WITH handled AS (
           SELECT json_extract(c.accepted_by, '$[0]') AS operator_id, c.status,
                  (julianday((SELECT MAX(e.at) FROM case_event e WHERE e.case_id = c.id AND e.action IN ('deliver', 'complete')))
                   - julianday(c.accepted_at)) * 1440 AS minutes
             FROM case_file c WHERE c.business_date BETWEEN @from AND @to)
         SELECT o.display_name AS teller,
                (SELECT COUNT(*) FROM handled h WHERE h.operator_id = o.id) AS accepted,
                (SELECT COUNT(*) FROM handled h WHERE h.operator_id = o.id AND h.status IN ${FINISHED}) AS finished,
                (SELECT ROUND(AVG(h.minutes), 1) FROM handled h WHERE h.operator_id = o.id AND h.minutes IS NOT NULL) AS avgMinutes,
                (SELECT COUNT(*) FROM rating r WHERE r.operator_id = o.id AND r.at >= @rfrom AND r.at < @rto) AS ratings,
                (SELECT COUNT(*) FROM rating r WHERE r.operator_id = o.id AND r.at >= @rfrom AND r.at < @rto
                   AND r.level IN ('dissatisfied', 'very_dissatisfied')) AS badReviews
           FROM operator o WHERE o.role = 'teller' ORDER BY o.username`,
      )
      .all({ from, to, rfrom: range.from!, rto: range.to! });
    return {
      columns: [
        { key: 'teller', title: '柜员', type: 'text' },
        { key: 'accepted', title: '受理件数', type: 'int' },
        { key: 'finished', title: '办结件数', type: 'int' },
        { key: 'avgMinutes', title: '平均办理时长', type: 'minutes' },
        { key: 'ratings', title: '评价数', type: 'int' },
        { key: 'badReviews', title: '差评数', type: 'int' },
      ],
      rows,
    };
  }

  function amounts(from: string, to: string): Built {
    const rows = db
      .prepare<[string, string], { insurance: Insurance | null; cases: number; fen: number }>(
        `SELECT json_extract(l.value, '$.insurance') AS insurance, COUNT(DISTINCT c.id) AS cases, SUM(json_extract(l.value, '$.fen')) AS fen
           FROM case_file c, json_each(c.amounts_json, '$.lines') l
          WHERE c.business_date BETWEEN ? AND ? AND c.status NOT IN ('rejected', 'withdrawn')
          GROUP BY insurance ORDER BY insurance`,
      )
      .all(from, to);
    return {
      columns: [
        { key: 'insurance', title: '险种', type: 'text' },
        { key: 'cases', title: '件数', type: 'int' },
        { key: 'fen', title: '金额', type: 'fen' },
      ],
      rows: rows.map((r) => ({ insurance: r.insurance ? INSURANCE_LABELS[r.insurance] : '其他', cases: r.cases, fen: r.fen })),
    };
  }

  function volumes(from: string, to: string): Built {
    const rows = db
      .prepare<[string, string], { date: string; item: string; n: number }>(
        'SELECT business_date AS date, item_code AS item, COUNT(*) AS n FROM case_file WHERE business_date BETWEEN ? AND ? GROUP BY date, item ORDER BY date, item',
      )
      .all(from, to);
    const itemName = new Map(deps.catalogue.current().items.map((i) => [i.code, i.name]));
    return {
      columns: [
        { key: 'date', title: '日期', type: 'text' },
        { key: 'item', title: '事项', type: 'text' },
        { key: 'count', title: '件数', type: 'int' },
      ],
      rows: rows.map((r) => ({ date: r.date, item: `${r.item} ${itemName.get(r.item) ?? ''}`, count: r.n })),
    };
  }

  const BUILDERS: Record<ReportKind, (from: string, to: string) => Built> = { daily, tellers, amounts, volumes };

  return function build(kind: ReportKind, from: string, to: string, stationName: string, now: Date): ReportTable {
    const built = BUILDERS[kind](from, to);
    const totals = totalsOf(built);
    if (kind === 'volumes') totals.item = '';
    return { kind, title: REPORT_LABELS[kind], stationName, from, to, ...built, totals, generatedAt: now.toISOString() };
  };
}
