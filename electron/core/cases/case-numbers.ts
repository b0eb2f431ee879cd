import type { Database } from 'better-sqlite3';

/**
 * Station-scoped human case numbers: station code, business date, and a per-day sequence
 * (330106001-20261129-0007). Generated locally inside the accepting transaction, so two
 * offline stations never collide and a rolled-back acceptance does not use up a number.
 */
export function nextCaseNumber(db: Database, stationCode: string, businessDate: string): string {
  const { last_seq } = db
    .prepare<[string], { last_seq: number }>(
      `INSERT INTO case_counter (business_date, last_seq) VALUES (?, 1)
       ON CONFLICT (business_date) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`,
    )
    .get(businessDate)!;
  return `${stationCode}-${businessDate.replaceAll('-', '')}-${String(last_seq).padStart(4, '0')}`;
}
