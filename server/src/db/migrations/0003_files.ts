import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Backend } from '../store';

/**
 * The electronic archive at the central office (server/src/files, ops/archive.ts): the material pages stations attach
 * to their cases, their volumes as filed and sealed at the station, the files received and verified (content
 * addressed), and the uploads under way.
 */
export async function files(db: Kysely<unknown>, backend: Backend): Promise<void> {
  const s = db.schema;
  const keyed = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    backend === 'sqlite' ? table.modifyEnd(sql`WITHOUT ROWID`) : table;

  await s
    .createTable('page')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('material_code', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('attached_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .$call(keyed)
    .execute();
  // The reference rule of file sync: may this station send (or fetch) this file?
  await s.createIndex('page_station_file').on('page').columns(['station_code', 'sha256']).execute();
  await s.createIndex('page_case').on('page').columns(['case_id', 'material_code', 'seq']).execute();

  await s
    .createTable('archive_volume')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('page_count', 'integer', (c) => c.notNull())
    .addColumn('filed_at', 'text', (c) => c.notNull())
    .addColumn('filed_by', 'text')
    .addColumn('sealed_at', 'text')
    .addColumn('sealed_by', 'text')
    .$call(keyed)
    .execute();

  await s
    .createTable('blob')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text')
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .$call(keyed)
    .execute();

  await s
    .createTable('blob_upload')
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('received', 'bigint', (c) => c.notNull())
    .addColumn('lease', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_upload_pk', ['station_code', 'sha256'])
    .$call(keyed)
    .execute();
}
