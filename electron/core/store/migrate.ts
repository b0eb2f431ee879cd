import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class StoreTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`数据库版本 ${found} 高于本程序支持的版本 ${supported}，请升级一窗通后再打开`);
    this.name = 'StoreTooNewError';
  }
}

/**
 * Applies pending migrations, each in its own transaction together with the bump of
 * PRAGMA user_version, so a crash leaves the store at a whole version. A store written
 * by a newer version is refused rather than guessed at.
 */
export function migrate(db: Database, migrations: readonly Migration[]): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new StoreTooNewError(from, latest);
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}
