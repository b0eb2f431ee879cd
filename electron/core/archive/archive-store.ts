import type { Database } from 'better-sqlite3';
import type { RetentionYears, VolumeView } from '#shared/api/archive';
import { maskIdNumber } from '#shared/domain/identity/masking';

interface VolumeRow {
  case_id: string;
  case_no: string;
  item_code: string;
  sub_item_name: string;
  business_date: string;
  person_name: string | null;
  id_number: string | null;
  employer_name: string | null;
  filed_at: string;
  filed_by_name: string | null;
  sealed_at: string | null;
  sealed_by: string | null;
  sealed_by_name: string | null;
  document_id: string;
  retention_years: number | null;
  retention_until: number | null;
  pages: number;
  supplements: number;
}

const SELECT_VOLUME = `SELECT v.case_id, c.case_no, c.item_code, c.sub_item_name, c.business_date, p.name AS person_name, p.id_number,
    e.name AS employer_name, v.filed_at, o.display_name AS filed_by_name, v.sealed_at, v.sealed_by, s.display_name AS sealed_by_name,
    v.document_id, v.retention_years, v.retention_until,
    (SELECT COUNT(*) FROM case_page g WHERE g.case_id = v.case_id AND g.removed_at IS NULL AND g.supplement = 0) AS pages,
    (SELECT COUNT(*) FROM case_page g WHERE g.case_id = v.case_id AND g.removed_at IS NULL AND g.supplement = 1) AS supplements
  FROM archive_volume v JOIN case_file c ON c.id = v.case_id LEFT JOIN person p ON p.id = c.person_id
  LEFT JOIN employer e ON e.id = c.employer_id LEFT JOIN operator o ON o.id = v.filed_by LEFT JOIN operator s ON s.id = v.sealed_by`;

/** Who sealed a volume the schedule sealed: the seal has no operator. */
export const SYSTEM_SEALER = '系统（自动封存）';

const toView =
  (thisYear: number) =>
  (r: VolumeRow): VolumeView => ({
    caseId: r.case_id,
    caseNo: r.case_no,
    itemCode: r.item_code,
    subItemName: r.sub_item_name,
    applicant: r.person_name ? `${r.person_name} ${r.id_number ? maskIdNumber(r.id_number) : ''}`.trim() : r.employer_name,
    businessDate: r.business_date,
    filedAt: r.filed_at,
    filedByName: r.filed_by_name ?? '—',
    sealedAt: r.sealed_at,
    sealedByName: r.sealed_at === null ? null : r.sealed_by === null ? SYSTEM_SEALER : (r.sealed_by_name ?? '—'),
    pages: r.pages,
    supplements: r.supplements,
    documentId: r.document_id,
    retentionYears: r.retention_years,
    retentionUntil: r.retention_until,
    expired: r.retention_until !== null && r.retention_until < thisYear,
  });

export interface VolumeQuery {
  person?: string | undefined;
  employer?: string | undefined;
  caseNo?: string | undefined;
  itemCode?: string | undefined;
  /** Business dates, both included. */
  from?: string | undefined;
  to?: string | undefined;
  /** Filing instants [filedFrom, filedTo). */
  filedFrom?: string | undefined;
  filedTo?: string | undefined;
  state?: 'unsealed' | 'sealed' | 'expired' | undefined;
}

/**
 * Archive volumes: one per filed case, its catalogue document, the retention it was filed under, its seal. `thisYear`
 * is the current year in the station's zone: a volume whose last year of retention is before it has expired.
 */
export function archiveStore(db: Database, thisYear: () => number) {
  const byCase = db.prepare<[string], VolumeRow>(`${SELECT_VOLUME} WHERE v.case_id = ?`);
  const upsert = db.prepare(
    `INSERT INTO archive_volume (case_id, document_id, filed_by, filed_at, retention_years, retention_until)
     VALUES (@caseId, @documentId, @operatorId, @at, @retentionYears, @retentionUntil)
     ON CONFLICT (case_id) DO UPDATE SET document_id = excluded.document_id, filed_by = excluded.filed_by, filed_at = excluded.filed_at,
       retention_years = excluded.retention_years, retention_until = excluded.retention_until
     WHERE sealed_at IS NULL`,
  );
  const seal = db.prepare('UPDATE archive_volume SET sealed_by = ?, sealed_at = ? WHERE case_id = ? AND sealed_at IS NULL');
  const due = db.prepare<[string], { case_id: string }>(
    'SELECT case_id FROM archive_volume WHERE sealed_at IS NULL AND filed_at <= ? ORDER BY filed_at',
  );
  // Each criterion applies only when given; a name matches in part, an ID number or credit code in full.
  const search = db.prepare<Record<string, string | number | null>, VolumeRow>(
    `${SELECT_VOLUME}
     WHERE (@person IS NULL OR p.name LIKE '%' || @person || '%' OR p.id_number = upper(@person))
       AND (@employer IS NULL OR e.name LIKE '%' || @employer || '%' OR e.credit_code = upper(@employer))
       AND (@caseNo IS NULL OR c.case_no = upper(@caseNo))
       AND (@itemCode IS NULL OR c.item_code = @itemCode OR c.sub_item_code = @itemCode)
       AND (@from IS NULL OR c.business_date >= @from) AND (@to IS NULL OR c.business_date <= @to)
       AND (@filedFrom IS NULL OR v.filed_at >= @filedFrom) AND (@filedTo IS NULL OR v.filed_at < @filedTo)
       AND (@state IS NULL OR (@state = 'unsealed' AND v.sealed_at IS NULL) OR (@state = 'sealed' AND v.sealed_at IS NOT NULL)
            OR (@state = 'expired' AND v.retention_until < @thisYear))
     ORDER BY v.filed_at DESC LIMIT 500`,
  );

  return {
    get: (caseId: string) => {
      const row = byCase.get(caseId);
      return row && toView(thisYear())(row);
    },
    /** Files or re-files the volume; returns false when it is sealed (nothing written). */
    file: (v: {
      caseId: string;
      documentId: string;
      operatorId: string;
      at: string;
      retentionYears: RetentionYears;
      retentionUntil: number | null;
    }) => upsert.run(v).changes === 1,
    /** A null operator is the system (the auto-seal schedule). */
    seal: (caseId: string, operatorId: string | null, at: string) => seal.run(operatorId, at, caseId).changes === 1,
    /** Unsealed volumes filed at or before the instant, oldest first. */
    unsealedFiledBy: (instant: string) => due.all(instant).map((r) => r.case_id),
    search: (q: VolumeQuery) => {
      const year = thisYear();
      const criteria = ['person', 'employer', 'caseNo', 'itemCode', 'from', 'to', 'filedFrom', 'filedTo', 'state'] as const;
      return search.all({ ...Object.fromEntries(criteria.map((k) => [k, q[k] ?? null])), thisYear: year }).map(toView(year));
    },
  };
}
export type ArchiveStore = ReturnType<typeof archiveStore>;
