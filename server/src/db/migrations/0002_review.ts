import { sql, type Kysely } from 'kysely';
import type { Backend } from '../store';

/**
 * The review page (server/src/review): its sessions and login throttling, who resolved a registry conflict and how,
 * and an index for the back-office queue (only cases waiting for review or approval are in it).
 */
export async function review(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  const s = db.schema;
  await s
    .createTable('review_session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull())
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('review_session_expiry').on('review_session').column('expires_at').execute();

  await s
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .execute();

  await s.alterTable('conflict').addColumn('resolution', 'text').execute();
  await s.alterTable('conflict').addColumn('resolved_by', 'text').execute();

  await s
    .createIndex('case_back_office')
    .on('case_file')
    .columns(['station_code', 'accepted_at'])
    .where(sql.ref('status'), 'in', ['pending_review', 'pending_approval'])
    .execute();
}
