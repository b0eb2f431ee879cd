import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema';
import type { Backend } from './store';

/**
 * Multi-row inserts for the push path, where a batch writes hundreds of rows without building a query tree per
 * value. SQLite gets a VALUES list, built once per shape (its prepared statements are cached by text). PostgreSQL
 * gets the rows as one JSON array of arrays, read back by position: a statement of a few hundred bytes whatever the
 * row count, serialised natively, which costs both sides far less than parsing thousands of placeholders. Identifiers
 * and types come from the callers' constants, never from input.
 */
export type ColumnType = 'text' | 'bigint' | 'integer';

export interface Conflict<C extends string> {
  columns: readonly C[];
  /** Columns to overwrite from the new row; none means DO NOTHING. */
  update: readonly C[];
}

const texts = new Map<string, string>();
const q = (id: string) => `"${id}"`;

function statement(
  backend: Backend,
  table: string,
  columns: Readonly<Record<string, ColumnType>>,
  rows: number,
  conflict?: Conflict<string>,
): string {
  const names = Object.keys(columns);
  const shape = backend === 'sqlite' ? rows : 'n';
  const key = `${backend}|${table}|${names.join(',')}|${shape}|${conflict ? `${conflict.columns.join(',')}>${conflict.update.join(',')}` : ''}`;
  let text = texts.get(key);
  if (text) return text;
  const source =
    backend === 'postgres'
      ? `SELECT ${names.map((c, i) => `(r->>${i})::${columns[c]}`).join(', ')} FROM jsonb_array_elements($1::jsonb) AS r`
      : `VALUES ${Array.from({ length: rows }, () => `(${names.map(() => '?').join(', ')})`).join(', ')}`;
  const onConflict = !conflict
    ? ''
    : ` ON CONFLICT (${conflict.columns.map(q).join(', ')}) ${
        conflict.update.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${conflict.update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
      }`;
  text = `INSERT INTO ${q(table)} (${names.map(q).join(', ')}) ${source}${onConflict}`;
  if (texts.size >= 1000) texts.clear();
  texts.set(key, text);
  return text;
}

// SQLite's bound-parameter limit stays far away at this many rows of the widest table.
const SQLITE_CHUNK = 400;

/** Inserts `rows`; returns how many rows were inserted or updated. */
export async function insertRows<T extends keyof DB & string, C extends keyof DB[T] & string>(
  db: Kysely<DB>,
  backend: Backend,
  table: T,
  columns: Readonly<Record<C, ColumnType>>,
  rows: readonly { [K in C]: DB[T][K] }[],
  conflict?: Conflict<C>,
): Promise<number> {
  const names = Object.keys(columns) as C[];
  const chunk = backend === 'postgres' ? Math.max(rows.length, 1) : SQLITE_CHUNK;
  let affected = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const parameters: unknown[] =
      backend === 'postgres'
        ? [JSON.stringify(part.map((row) => names.map((c) => row[c] ?? null)))]
        : part.flatMap((row) => names.map((c) => row[c] ?? null));
    const result = await db.executeQuery(CompiledQuery.raw(statement(backend, table, columns, part.length, conflict), parameters));
    affected += Number(result.numAffectedRows ?? 0);
  }
  return affected;
}
