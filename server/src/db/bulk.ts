import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema';
import type { Backend } from './store';

/**
 * Multi-row inserts for the push path, where a batch writes hundreds of rows without building a query tree per
 * value. SQLite gets a VALUES list, built once per shape (its prepared statements are cached by text). PostgreSQL
 * gets the rows as one JSON array of arrays, read back by position: a statement of a few hundred bytes whatever the
 * row count, serialised natively, which costs both sides far less than parsing thousands of placeholders. Columns
 * that hold JSON texts (the bulk of the bytes: payloads, change data, forms) travel apart, each column's texts joined
 * by U+0001 into one text parameter and split by PostgreSQL with string_to_array: neither side escapes or unescapes
 * them character by character, and they are stored byte for byte as given (change data must be: its digest is over
 * the exact text).
 * Identifiers and types come from the callers' constants, never from input.
 */
/** `json`: a text column holding JSON as JSON.stringify writes it, which never contains a raw control character. */
export type ColumnType = 'text' | 'json' | 'bigint' | 'integer';

const SEPARATOR = '\u0001';

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
      ? postgresSource(columns)
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

/**
 * Row n's plain columns are element n of the JSON array in $1, read by position; its JSON columns are element n of
 * the U+0001-separated lists in $2, $3, … (one per JSON column; '' stands for NULL, which no JSON text is). ROWS FROM
 * walks all the lists in step.
 */
function postgresSource(columns: Readonly<Record<string, ColumnType>>): string {
  const names = Object.keys(columns);
  const plain = names.filter((c) => columns[c] !== 'json');
  const json = names.filter((c) => columns[c] === 'json');
  const value = (c: string) => (columns[c] === 'json' ? `NULLIF(x.j${json.indexOf(c)}, '')` : `(x.r->>${plain.indexOf(c)})::${columns[c]}`);
  const lists = json.map((_, i) => `, unnest(string_to_array($${i + 2}::text, chr(1)))`).join('');
  return `SELECT ${names.map(value).join(', ')} FROM ROWS FROM (jsonb_array_elements($1::jsonb)${lists}) AS x(r${json.map((_, i) => `, j${i}`).join('')})`;
}

function postgresParameters(columns: Readonly<Record<string, ColumnType>>, rows: readonly Record<string, unknown>[]): unknown[] {
  const names = Object.keys(columns);
  const plain = names.filter((c) => columns[c] !== 'json');
  const json = names.filter((c) => columns[c] === 'json');
  return [
    JSON.stringify(rows.map((row) => plain.map((c) => row[c] ?? null))),
    ...json.map((c) => {
      const texts = rows.map((row) => (row[c] as string | null | undefined) ?? '');
      if (texts.some((t) => t.includes(SEPARATOR))) throw new Error(`${c} holds a raw U+0001: not a JSON text`);
      return texts.join(SEPARATOR);
    }),
  ];
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
      backend === 'postgres' ? postgresParameters(columns, part) : part.flatMap((row) => names.map((c) => row[c] ?? null));
    const result = await db.executeQuery(CompiledQuery.raw(statement(backend, table, columns, part.length, conflict), parameters));
    affected += Number(result.numAffectedRows ?? 0);
  }
  return affected;
}
