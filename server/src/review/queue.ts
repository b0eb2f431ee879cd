import type { Kysely } from 'kysely';
import { regionSpecificity } from '#shared/domain/region';
import type { CaseRow, ConflictRow, DB, PageRow, RegistryRow, StationRow } from '../db/schema';

/**
 * What the review page reads: the cases of the operator's region waiting for the back office, one case with what
 * the page shows about it, and the registry conflicts of the region still open. Everything is scoped to the stations
 * whose region the central station covers.
 */

const BACK_OFFICE_STATUSES = ['pending_review', 'pending_approval'] as const;

/** `region_code LIKE` pattern of the stations a central station covers: 330100 → 3301%, 330000 → 33%, 000000 → %. */
export const coveredPattern = (region: string): string => `${region.slice(0, regionSpecificity(region))}%`;

export type QueueEntry = Pick<CaseRow, 'id' | 'case_no' | 'sub_item_name' | 'status' | 'accepted_at' | 'review_level' | 'amount_fen'> & {
  station_name: string;
};

export async function backOfficeQueue(db: Kysely<DB>, central: StationRow, limit = 200): Promise<QueueEntry[]> {
  return (
    db
      .selectFrom('case_file')
      .innerJoin('station', 'station.code', 'case_file.station_code')
      .select([
        'case_file.id',
        'case_file.case_no',
        'case_file.sub_item_name',
        'case_file.status',
        'case_file.accepted_at',
        'case_file.review_level',
        'case_file.amount_fen',
        'station.name as station_name',
      ])
      // The same predicate as the partial index case_back_office, so both engines use it.
      .where('case_file.status', 'in', [...BACK_OFFICE_STATUSES])
      .where('station.kind', '=', 'station')
      .where('station.region_code', 'like', coveredPattern(central.region_code))
      .orderBy('case_file.accepted_at')
      .limit(limit)
      .execute()
  );
}

/** A material page of a case, and whether its file has arrived (stored and verified on arrival). */
export type CasePage = PageRow & { stored: boolean };

export interface CaseDetail {
  row: CaseRow;
  station: StationRow;
  person: RegistryRow | undefined;
  /** Display names of the operators who took part (acceptors, reviewers), by id. */
  names: Map<string, string>;
  /** The pages the station attached and has not removed, by material and order. */
  pages: CasePage[];
}

async function pagesOf(db: Kysely<DB>, caseId: string): Promise<CasePage[]> {
  const rows = await db
    .selectFrom('page')
    .leftJoin('blob', 'blob.sha256', 'page.sha256')
    .selectAll('page')
    .select('blob.sha256 as stored_sha256')
    .where('page.case_id', '=', caseId)
    .where('page.removed_at', 'is', null)
    .orderBy('page.material_code')
    .orderBy('page.seq')
    .execute();
  return rows.map(({ stored_sha256, ...page }) => ({ ...page, stored: stored_sha256 !== null }));
}

/** A case of a station the central station covers; undefined for any other id. */
export async function caseDetail(db: Kysely<DB>, central: StationRow, id: string): Promise<CaseDetail | undefined> {
  const row = await db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const station = await db
    .selectFrom('station')
    .selectAll()
    .where('code', '=', row.station_code)
    .where('kind', '=', 'station')
    .where('region_code', 'like', coveredPattern(central.region_code))
    .executeTakeFirst();
  if (!station) return undefined;
  const person = row.person_id
    ? await db.selectFrom('registry').selectAll().where('entity', '=', 'person').where('id', '=', row.person_id).executeTakeFirst()
    : undefined;
  const ids = [...(JSON.parse(row.accepted_by) as string[]), ...(JSON.parse(row.reviewed_by) as string[])];
  const operators = ids.length ? await db.selectFrom('operator').select(['id', 'display_name']).where('id', 'in', ids).execute() : [];
  return { row, station, person, names: new Map(operators.map((o) => [o.id, o.display_name])), pages: await pagesOf(db, id) };
}

/** A page (not removed) of a case of a station the central station covers, with its case number; undefined otherwise. */
export async function regionPage(
  db: Kysely<DB>,
  central: StationRow,
  pageId: string,
): Promise<(CasePage & { case_no: string }) | undefined> {
  const row = await db
    .selectFrom('page')
    .innerJoin('case_file', 'case_file.id', 'page.case_id')
    .innerJoin('station', 'station.code', 'case_file.station_code')
    .leftJoin('blob', 'blob.sha256', 'page.sha256')
    .selectAll('page')
    .select(['case_file.case_no', 'blob.sha256 as stored_sha256'])
    .where('page.id', '=', pageId)
    .where('page.removed_at', 'is', null)
    .where('station.kind', '=', 'station')
    .where('station.region_code', 'like', coveredPattern(central.region_code))
    .executeTakeFirst();
  if (!row) return undefined;
  const { stored_sha256, ...page } = row;
  return { ...page, stored: stored_sha256 !== null };
}

export type OpenConflict = ConflictRow & { station_name: string; current_fields: string | null };

/** Field conflicts of the region nobody has resolved, oldest first, with the record's current fields. */
export async function openConflicts(db: Kysely<DB>, central: StationRow, limit = 200): Promise<OpenConflict[]> {
  return db
    .selectFrom('conflict')
    .innerJoin('station', 'station.code', 'conflict.station_code')
    .leftJoin('registry', (join) => join.onRef('registry.entity', '=', 'conflict.entity').onRef('registry.id', '=', 'conflict.entity_id'))
    .selectAll('conflict')
    .select(['station.name as station_name', 'registry.fields as current_fields'])
    .where('conflict.kind', '=', 'field')
    .where('conflict.resolved_at', 'is', null)
    .where('station.kind', '=', 'station')
    .where('station.region_code', 'like', coveredPattern(central.region_code))
    .orderBy('conflict.created_at')
    .limit(limit)
    .execute();
}
