import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Store } from '../store';
import { init } from './0001_init';
import { review } from './0002_review';
import { files } from './0003_files';

/** Every migration in order, each written once for both engines. Add new ones at the end; never edit a released one. */
const MIGRATIONS: readonly [name: string, up: typeof init][] = [
  ['0001_init', init],
  ['0002_review', review],
  ['0003_files', files],
];

/**
 * Brings the store up to date. Kysely's migrator records applied migrations in its own table and, on PostgreSQL,
 * holds an advisory lock while it runs, so instances starting together migrate once.
 */
export async function migrate(store: Store, schema?: string): Promise<void> {
  const migrations: Record<string, Migration> = Object.fromEntries(
    MIGRATIONS.map(([name, up]) => [name, { up: (db: Kysely<unknown>) => up(db, store.backend) }]),
  );
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
