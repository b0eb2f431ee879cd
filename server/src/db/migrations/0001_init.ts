import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Backend } from '../store';

/** The first schema: stations and devices, the op log, the change log, cases, registry, reference data, day close. */
export async function init(db: Kysely<unknown>, backend: Backend): Promise<void> {
  const s = db.schema;
  // On SQLite a table keyed by text is a rowid table plus an index on the key: WITHOUT ROWID stores it once, in key
  // order, which is one b-tree less to write on the push path. PostgreSQL tables are heaps either way.
  const keyed = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    backend === 'sqlite' ? table.modifyEnd(sql`WITHOUT ROWID`) : table;
  await s
    .createTable('station')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('station_kind_region').on('station').columns(['kind', 'region_code']).execute();

  await s
    .createTable('enrolment')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('station_code', 'text', (c) => c.notNull().references('station.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('device_id', 'text')
    .execute();

  await s
    .createTable('device')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_code', 'text', (c) => c.notNull().references('station.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', 'text')
    .execute();

  await s
    .createTable('nonce')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonce_pk', ['device_id', 'nonce'])
    .$call(keyed)
    .execute();
  await s.createIndex('nonce_expiry').on('nonce').column('expires_at').execute();

  await s
    .createTable('operator')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_code', 'text', (c) => c.notNull().references('station.code'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('rights', 'text', (c) => c.notNull())
    .addColumn('password_verifier', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('operator_station_username', ['station_code', 'username'])
    .execute();

  await s
    .createTable('op_log')
    .addColumn('op_id', 'text', (c) => c.notNull().unique())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text')
    .addColumn('window_no', 'integer')
    .addColumn('device_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('reason', 'text')
    .addColumn('message', 'text')
    .addColumn('conflicts', 'text')
    .addPrimaryKeyConstraint('op_log_pk', ['device_id', 'seq'])
    .$call(keyed)
    .execute();

  await s
    .createTable('change')
    .addColumn('seq', backend === 'sqlite' ? 'integer' : 'bigint', (c) =>
      backend === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('digest', 'bigint', (c) => c.notNull())
    .addColumn('cum_count', 'bigint', (c) => c.notNull())
    .addColumn('cum_checksum', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('change_scope_seq').on('change').columns(['stream', 'scope', 'seq']).execute();

  await s
    .createTable('stream_head')
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('row_count', 'bigint', (c) => c.notNull())
    .addColumn('checksum', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stream_head_pk', ['stream', 'scope'])
    .$call(keyed)
    .execute();

  await s
    .createTable('case_file')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('sub_item_code', 'text', (c) => c.notNull())
    .addColumn('sub_item_name', 'text', (c) => c.notNull())
    .addColumn('review_level', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.notNull())
    .addColumn('accepted_operator', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('employer_id', 'text')
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('materials', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint')
    .addColumn('last_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .$call(keyed)
    .execute();
  await s.createIndex('case_station_date').on('case_file').columns(['station_code', 'business_date']).execute();

  await s
    .createTable('registry')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('natural_key', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('field_versions', 'text', (c) => c.notNull())
    .addColumn('field_writers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('registry_pk', ['entity', 'id'])
    .$call(keyed)
    .execute();
  await s.createIndex('registry_natural_key').on('registry').columns(['entity', 'natural_key']).execute();

  await s
    .createTable('conflict')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer')
    .addColumn('server_value', 'text', (c) => c.notNull())
    .addColumn('device_value', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('op_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await s.createIndex('conflict_station').on('conflict').columns(['station_code', 'created_at']).execute();

  await s
    .createTable('reference_version')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reference_version_pk', ['kind', 'region', 'version'])
    .execute();

  await s
    .createTable('day_close')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('totals', 'text', (c) => c.notNull())
    .addColumn('differences', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('day_close_station_date').on('day_close').columns(['station_code', 'business_date']).execute();
}
