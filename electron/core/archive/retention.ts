import type { Database } from 'better-sqlite3';
import type { RetentionRow, RetentionYears } from '#shared/api/archive';
import type { Catalogue } from '#shared/domain/catalogue/schema';
import { localTime } from '../platform/local-time';

/**
 * The station's default 保管期限 per catalogue item, with the sub-items that differ from their item. Records that decide
 * a lifelong right (registration, pensions, transfers, work injuries) are kept 永久; contribution records 100 years;
 * one-off payments and unemployment benefits 50; certificates, queries and card services 10. The regional archive's
 * own table may differ: the administrator adjusts it on 站点设置, and a change applies to volumes filed from then on.
 */
const ITEM_DEFAULTS: Readonly<Record<string, RetentionYears>> = {
  A: null,
  B: 100,
  C: null,
  D: 100,
  E: 100,
  F: 100,
  G: 100,
  H: null,
  I: 50,
  J: 10,
  K: null,
  L: 50,
  M: null,
  N: 10,
  O: 10,
};
const SUB_ITEM_DEFAULTS: Readonly<Record<string, RetentionYears>> = {
  B3: null, // 单位注销登记 closes the registration for good
  D1: null, // 个人关键信息变更: the identity a lifelong record hangs on
  G1: 10, // a printed payment slip
  K3: 100,
  K4: 100,
  K5: 10, // the yearly 资格认证
  M2: 50, // medical and rehabilitation costs, paid once
};

/** An item the shipped table does not know (a catalogue pushed later) is kept for good until someone decides. */
export function defaultRetention(itemCode: string, subItemCode: string): RetentionYears {
  if (subItemCode in SUB_ITEM_DEFAULTS) return SUB_ITEM_DEFAULTS[subItemCode]!;
  return itemCode in ITEM_DEFAULTS ? ITEM_DEFAULTS[itemCode]! : null;
}

/**
 * The last year a volume is kept: retention runs from 1 January after the year it was filed (档案保管期限自形成年度
 * 的次年1月1日起算), so a volume filed in 2026 and kept 10 years is due for appraisal from 1 January 2037.
 */
export function retentionUntil(filedAt: string, years: RetentionYears, timeZone: string): number | null {
  return years === null ? null : Number(localTime(filedAt, timeZone).date.slice(0, 4)) + years;
}

/** The station's retention table: overrides of the defaults per sub-item. */
export function retentionStore(db: Database) {
  const one = db.prepare<[string], { years: number | null }>('SELECT years FROM archive_retention WHERE sub_item_code = ?');
  const all = db.prepare<[], { sub_item_code: string; years: number | null }>('SELECT sub_item_code, years FROM archive_retention');
  const upsert = db.prepare(
    `INSERT INTO archive_retention (sub_item_code, years, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (sub_item_code) DO UPDATE SET years = excluded.years, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM archive_retention WHERE sub_item_code = ?');

  return {
    inForce(itemCode: string, subItemCode: string): RetentionYears {
      const row = one.get(subItemCode);
      return row ? row.years : defaultRetention(itemCode, subItemCode);
    },
    /** Every sub-item of the catalogue, with the retention in force and its default. */
    rows(catalogue: Catalogue): RetentionRow[] {
      const overrides = new Map(all.all().map((r) => [r.sub_item_code, r.years]));
      return catalogue.items.flatMap((item) =>
        item.subItems.map((sub) => {
          const defaultYears = defaultRetention(item.code, sub.code);
          return {
            itemCode: item.code,
            itemName: item.name,
            subItemCode: sub.code,
            subItemName: sub.name,
            years: overrides.has(sub.code) ? overrides.get(sub.code)! : defaultYears,
            defaultYears,
          };
        }),
      );
    },
    /** Inside a command: a value equal to the default drops the override, so later default changes reach it. */
    set(row: Pick<RetentionRow, 'itemCode' | 'subItemCode'>, years: RetentionYears, operatorId: string, at: string): void {
      if (years === defaultRetention(row.itemCode, row.subItemCode)) remove.run(row.subItemCode);
      else upsert.run(row.subItemCode, years, operatorId, at);
    },
  };
}
export type RetentionStore = ReturnType<typeof retentionStore>;
