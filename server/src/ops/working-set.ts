import type { Insertable, Kysely } from 'kysely';
import type { ChangeDraft } from '../changes/append';
import type { ArchiveVolumeRow, CaseRow, ConflictTable, DB, OperatorRow, PageRow, RegistryRow, StationRow } from '../db/schema';
import { insertRows } from '../db/bulk';
import type { Backend, Store } from '../db/store';
import { cataloguesFor, type CatalogueIndex } from '../reference/catalogue';

export type RegistryEntity = 'person' | 'employer';

/** The rows a batch will read, gathered from its operations before anything is loaded. */
export class Needs {
  readonly operators = new Set<string>();
  readonly cases = new Set<string>();
  readonly records: Record<RegistryEntity, Set<string>> = { person: new Set(), employer: new Set() };
  readonly naturalKeys: Record<RegistryEntity, Set<string>> = { person: new Set(), employer: new Set() };
  readonly pages = new Set<string>();
  /** Archive volumes, by case id. */
  readonly volumes = new Set<string>();
  /** Every account of the device's station (to check a new username). */
  stationOperators = false;
  catalogue = false;
}

const recordKey = (entity: RegistryEntity, id: string) => `${entity}:${id}`;

// Keeps an IN list that may be empty valid SQL: no row has an empty key.
const NONE = '';

/**
 * A batch's rows in memory: loaded (and on PostgreSQL locked) once, changed by the handlers in order, written back
 * once with multi-row statements. Handlers never touch the database themselves.
 */
export class WorkingSet {
  readonly operators = new Map<string, OperatorRow>();
  readonly cases = new Map<string, CaseRow>();
  private readonly records = new Map<string, RegistryRow>();
  private readonly idsByKey = new Map<string, string[]>();
  readonly stations = new Map<string, StationRow>();
  readonly pages = new Map<string, PageRow>();
  readonly volumes = new Map<string, ArchiveVolumeRow>();
  centralStations: StationRow[] = [];
  catalogue: (businessDate: string) => CatalogueIndex = () => {
    throw new Error('catalogue not loaded: declare needs.catalogue');
  };

  // Rows the batch created are inserted (a concurrent creation of the same id fails on the key and the transaction
  // runs again, to find it); rows it changed are upserted.
  private readonly writtenCases = new Map<string, boolean>();
  private readonly writtenRecords = new Map<string, boolean>();
  private readonly writtenPages = new Map<string, boolean>();
  private readonly writtenVolumes = new Map<string, boolean>();
  readonly newOperators: OperatorRow[] = [];
  readonly conflicts: Insertable<ConflictTable>[] = [];
  readonly changes: ChangeDraft[] = [];
  stationUpdate: StationRow | null = null;

  record(entity: RegistryEntity, id: string): RegistryRow | undefined {
    return this.records.get(recordKey(entity, id));
  }

  /** Other records holding the same ID number or credit code. */
  idsWithKey(entity: RegistryEntity, naturalKey: string): readonly string[] {
    return this.idsByKey.get(recordKey(entity, naturalKey)) ?? [];
  }

  putCase(row: CaseRow, created: boolean): void {
    this.cases.set(row.id, row);
    this.writtenCases.set(row.id, created || (this.writtenCases.get(row.id) ?? false));
  }

  putRecord(row: RegistryRow, created: boolean): void {
    const key = recordKey(row.entity, row.id);
    this.records.set(key, row);
    this.writtenRecords.set(key, created || (this.writtenRecords.get(key) ?? false));
    if (created) {
      const byKey = recordKey(row.entity, row.natural_key);
      this.idsByKey.set(byKey, [...(this.idsByKey.get(byKey) ?? []), row.id]);
    }
  }

  putPage(row: PageRow, created: boolean): void {
    this.pages.set(row.id, row);
    this.writtenPages.set(row.id, created || (this.writtenPages.get(row.id) ?? false));
  }

  putVolume(row: ArchiveVolumeRow, created: boolean): void {
    this.volumes.set(row.case_id, row);
    this.writtenVolumes.set(row.case_id, created || (this.writtenVolumes.get(row.case_id) ?? false));
  }

  putOperator(row: OperatorRow): void {
    this.operators.set(row.id, row);
    this.newOperators.push(row);
  }

  emit(change: ChangeDraft): void {
    this.changes.push(change);
  }

  /** Loads what `needs` names, locking the rows the batch may change. */
  static async load(store: Store, db: Kysely<DB>, needs: Needs, station: StationRow): Promise<WorkingSet> {
    const ws = new WorkingSet();
    ws.stations.set(station.code, station);
    if (needs.operators.size > 0 || needs.stationOperators) {
      let q = db.selectFrom('operator').selectAll();
      q = needs.stationOperators
        ? q.where((eb) => eb.or([eb('id', 'in', [...needs.operators, NONE]), eb('station_code', '=', station.code)]))
        : q.where('id', 'in', [...needs.operators]);
      for (const row of await q.execute()) ws.operators.set(row.id, row);
    }
    for (const ids of chunks([...needs.cases])) {
      for (const row of await store.forUpdate(db.selectFrom('case_file').selectAll().where('id', 'in', ids)).execute())
        ws.cases.set(row.id, row);
    }
    for (const entity of ['person', 'employer'] as const) {
      for (const ids of chunks([...needs.records[entity]])) {
        const rows = await store
          .forUpdate(db.selectFrom('registry').selectAll().where('entity', '=', entity).where('id', 'in', ids))
          .execute();
        for (const row of rows) ws.records.set(recordKey(entity, row.id), row);
      }
      for (const keys of chunks([...needs.naturalKeys[entity]])) {
        const rows = await db
          .selectFrom('registry')
          .select(['id', 'natural_key'])
          .where('entity', '=', entity)
          .where('natural_key', 'in', keys)
          .execute();
        for (const row of rows) {
          const k = recordKey(entity, row.natural_key);
          ws.idsByKey.set(k, [...(ws.idsByKey.get(k) ?? []), row.id]);
        }
      }
    }
    for (const ids of chunks([...needs.pages])) {
      for (const row of await store.forUpdate(db.selectFrom('page').selectAll().where('id', 'in', ids)).execute())
        ws.pages.set(row.id, row);
    }
    for (const ids of chunks([...needs.volumes])) {
      for (const row of await store.forUpdate(db.selectFrom('archive_volume').selectAll().where('case_id', 'in', ids)).execute())
        ws.volumes.set(row.case_id, row);
    }
    if (needs.cases.size > 0) {
      // Stations of the loaded cases (a central workstation acts on several) and the central offices that see them.
      const caseStations = [...new Set([...ws.cases.values()].map((c) => c.station_code))].filter((code) => code !== station.code);
      const stations = await db
        .selectFrom('station')
        .selectAll()
        .where((eb) => eb.or([eb('kind', '=', 'central'), eb('code', 'in', [...caseStations, NONE])]))
        .execute();
      for (const row of stations) ws.stations.set(row.code, row);
      ws.centralStations = stations.filter((s) => s.kind === 'central');
    }
    if (needs.catalogue) ws.catalogue = await cataloguesFor(db, station.region_code);
    return ws;
  }

  /** Writes back every row the handlers created or changed, multi-row statements per table. */
  async flush(db: Kysely<DB>, backend: Backend): Promise<void> {
    const [newCases, changedCases] = split(this.writtenCases, (id) => this.cases.get(id)!);
    await insertRows(db, backend, 'case_file', CASE_COLUMNS, newCases);
    await insertRows(db, backend, 'case_file', CASE_COLUMNS, changedCases, {
      columns: ['id'],
      update: ['status', 'accepted_by', 'reviewed_by', 'last_reason', 'version', 'event_count', 'updated_at'],
    });
    const [newRecords, changedRecords] = split(this.writtenRecords, (k) => this.records.get(k)!);
    await insertRows(db, backend, 'registry', REGISTRY_COLUMNS, newRecords);
    await insertRows(db, backend, 'registry', REGISTRY_COLUMNS, changedRecords, {
      columns: ['entity', 'id'],
      update: ['fields', 'version', 'field_versions', 'field_writers', 'updated_at'],
    });
    const [newPages, changedPages] = split(this.writtenPages, (id) => this.pages.get(id)!);
    await insertRows(db, backend, 'page', PAGE_COLUMNS, newPages);
    await insertRows(db, backend, 'page', PAGE_COLUMNS, changedPages, { columns: ['id'], update: ['removed_at'] });
    const [newVolumes, changedVolumes] = split(this.writtenVolumes, (id) => this.volumes.get(id)!);
    await insertRows(db, backend, 'archive_volume', VOLUME_COLUMNS, newVolumes);
    await insertRows(db, backend, 'archive_volume', VOLUME_COLUMNS, changedVolumes, {
      columns: ['case_id'],
      update: ['document_id', 'page_count', 'filed_at', 'filed_by', 'sealed_at', 'sealed_by'],
    });
    for (const rows of chunks(this.newOperators)) await db.insertInto('operator').values(rows).execute();
    for (const rows of chunks(this.conflicts)) await db.insertInto('conflict').values(rows).execute();
    if (this.stationUpdate) {
      const { code, settings, updated_at } = this.stationUpdate;
      await db.updateTable('station').set({ settings, updated_at }).where('code', '=', code).execute();
    }
  }
}

const CASE_COLUMNS = {
  id: 'text',
  station_code: 'text',
  case_no: 'text',
  business_date: 'text',
  item_code: 'text',
  sub_item_code: 'text',
  sub_item_name: 'text',
  review_level: 'integer',
  status: 'text',
  accepted_by: 'json',
  reviewed_by: 'json',
  accepted_operator: 'text',
  person_id: 'text',
  employer_id: 'text',
  form: 'json',
  materials: 'json',
  amount_fen: 'bigint',
  last_reason: 'text',
  version: 'integer',
  event_count: 'integer',
  accepted_at: 'text',
  updated_at: 'text',
} as const;
const REGISTRY_COLUMNS = {
  entity: 'text',
  id: 'text',
  station_code: 'text',
  natural_key: 'text',
  fields: 'json',
  version: 'integer',
  field_versions: 'json',
  field_writers: 'json',
  created_at: 'text',
  updated_at: 'text',
} as const;
const PAGE_COLUMNS = {
  id: 'text',
  case_id: 'text',
  station_code: 'text',
  material_code: 'text',
  sha256: 'text',
  size: 'bigint',
  mime: 'text',
  seq: 'integer',
  attached_at: 'text',
  removed_at: 'text',
} as const;
const VOLUME_COLUMNS = {
  case_id: 'text',
  station_code: 'text',
  document_id: 'text',
  page_count: 'integer',
  filed_at: 'text',
  filed_by: 'text',
  sealed_at: 'text',
  sealed_by: 'text',
} as const;

/** The rows of `written` in two lists: created by the batch, and changed by it. */
function split<T>(written: ReadonlyMap<string, boolean>, row: (key: string) => T): [T[], T[]] {
  const created: T[] = [];
  const changed: T[] = [];
  for (const [key, isNew] of written) (isNew ? created : changed).push(row(key));
  return [created, changed];
}

// Multi-row statements stay well under both engines' bound-parameter limits.
const CHUNK = 400;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
