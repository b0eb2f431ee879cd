import type { Database } from 'better-sqlite3';
import type { Operator } from '#shared/api/contract';
import type { Role } from '#shared/domain/roles';

export interface OperatorRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: 0 | 1;
  created_at: string;
  version: number;
}

export function toOperator(row: OperatorRow): Operator {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, disabled: row.disabled === 1 };
}

/** Reads of the operator table; writes go through commands. */
export function operatorQueries(db: Database) {
  const byUsername = db.prepare<[string], OperatorRow>('SELECT * FROM operator WHERE username = ?');
  const byId = db.prepare<[string], OperatorRow>('SELECT * FROM operator WHERE id = ?');
  const all = db.prepare<[], OperatorRow>('SELECT * FROM operator ORDER BY role, username');
  const insert = db.prepare(
    `INSERT INTO operator (id, username, display_name, role, password_hash, disabled, created_at)
     VALUES (@id, @username, @display_name, @role, @password_hash, @disabled, @created_at)`,
  );
  return {
    byUsername: (username: string) => byUsername.get(username),
    byId: (id: string) => byId.get(id),
    all: () => all.all(),
    insert: (row: Omit<OperatorRow, 'version'>) => insert.run(row),
  };
}
export type OperatorQueries = ReturnType<typeof operatorQueries>;
