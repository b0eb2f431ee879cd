import type { Database } from 'better-sqlite3';
import type { VolumeView } from '#shared/api/archive';
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
  document_id: string;
  pages: number;
  supplements: number;
}

const SELECT_VOLUME = `SELECT v.case_id, c.case_no, c.item_code, c.sub_item_name, c.business_date, p.name AS person_name, p.id_number,
    e.name AS employer_name, v.filed_at, o.display_name AS filed_by_name, v.sealed_at, v.document_id,
    (SELECT COUNT(*) FROM case_page g WHERE g.case_id = v.case_id AND g.removed_at IS NULL AND g.supplement = 0) AS pages,
    (SELECT COUNT(*) FROM case_page g WHERE g.case_id = v.case_id AND g.removed_at IS NULL AND g.supplement = 1) AS supplements
  FROM archive_volume v JOIN case_file c ON c.id = v.case_id LEFT JOIN person p ON p.id = c.person_id
  LEFT JOIN employer e ON e.id = c.employer_id LEFT JOIN operator o ON o.id = v.filed_by`;

const toView = (r: VolumeRow): VolumeView => ({
  caseId: r.case_id,
  caseNo: r.case_no,
  itemCode: r.item_code,
  subItemName: r.sub_item_name,
  applicant: r.person_name ? `${r.person_name} ${r.id_number ? maskIdNumber(r.id_number) : ''}`.trim() : r.employer_name,
  businessDate: r.business_date,
  filedAt: r.filed_at,
  filedByName: r.filed_by_name ?? '—',
  sealedAt: r.sealed_at,
  pages: r.pages,
  supplements: r.supplements,
  documentId: r.document_id,
});

export interface VolumeQuery {
  party?: string;
  caseNo?: string;
  itemCode?: string;
  from?: string;
  to?: string;
}

/** Archive volumes: one per filed case, its catalogue document, its seal. */
export function archiveStore(db: Database) {
  const byCase = db.prepare<[string], VolumeRow>(`${SELECT_VOLUME} WHERE v.case_id = ?`);
  const upsert = db.prepare(
    `INSERT INTO archive_volume (case_id, document_id, filed_by, filed_at) VALUES (@caseId, @documentId, @operatorId, @at)
     ON CONFLICT (case_id) DO UPDATE SET document_id = excluded.document_id, filed_by = excluded.filed_by, filed_at = excluded.filed_at
     WHERE sealed_at IS NULL`,
  );
  const seal = db.prepare('UPDATE archive_volume SET sealed_by = ?, sealed_at = ? WHERE case_id = ? AND sealed_at IS NULL');
  // Each criterion applies only when given; the party matches a name in part, an ID number or credit code in full.
  const search = db.prepare<Record<string, string | null>, VolumeRow>(
    `${SELECT_VOLUME}
     WHERE (@party IS NULL OR p.name LIKE '%' || @party || '%' OR p.id_number = upper(@party) OR e.name LIKE '%' || @party || '%'
            OR e.credit_code = upper(@party))
       AND (@caseNo IS NULL OR c.case_no = upper(@caseNo))
       AND (@itemCode IS NULL OR c.item_code = @itemCode OR c.sub_item_code = @itemCode)
       AND (@from IS NULL OR c.business_date >= @from) AND (@to IS NULL OR c.business_date <= @to)
     ORDER BY v.filed_at DESC LIMIT 500`,
  );

  return {
    get: (caseId: string) => {
      const row = byCase.get(caseId);
      return row && toView(row);
    },
    /** Files or re-files the volume; returns false when it is sealed (nothing written). */
    file: (v: { caseId: string; documentId: string; operatorId: string; at: string }) => upsert.run(v).changes === 1,
    seal: (caseId: string, operatorId: string, at: string) => seal.run(operatorId, at, caseId).changes === 1,
    search: (q: VolumeQuery) =>
      search
        .all({ party: q.party ?? null, caseNo: q.caseNo ?? null, itemCode: q.itemCode ?? null, from: q.from ?? null, to: q.to ?? null })
        .map(toView),
  };
}
export type ArchiveStore = ReturnType<typeof archiveStore>;
