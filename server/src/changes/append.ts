import { sql, type Kysely } from 'kysely';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import type { ChangeEntity, StreamName } from '#shared/sync/protocol';
import { changeDigest } from '../crypto';
import { insertRows } from '../db/bulk';
import type { DB } from '../db/schema';
import type { Backend } from '../db/store';

/** A change to append: which stream and scope it belongs to, and its data as the JSON text devices receive. */
export interface ChangeDraft {
  stream: StreamName;
  scope: string;
  entity: ChangeEntity;
  id: string;
  data: string;
}

export const change = (stream: StreamName, scope: string, entity: ChangeEntity, id: string, value: unknown): ChangeDraft => ({
  stream,
  scope,
  entity,
  id,
  data: JSON.stringify(value),
});

/**
 * Scopes of the reference stream: data for a region, and data for one station (its operator accounts). The scope
 * of a station's own stream is its station code.
 */
export const regionReferenceScope = (region: string) => `region:${region}`;
export const stationReferenceScope = (stationCode: string) => `station:${stationCode}`;

// Every reference write also takes this head: a device reads several reference scopes as one stream, so reference
// changes must become visible in sequence order across scopes, not only within one.
const REFERENCE_LOCK = { stream: 'reference', scope: '*' } as const;

/**
 * Appends changes inside the caller's transaction. Each (stream, scope) head is updated first, in a fixed order:
 * the head's row lock is held until commit, so within a scope sequence numbers become visible in order and a
 * device's cursor never skips a change that commits late. The heads also give each change the running count and
 * checksum of its scope, which is what a checkpoint reports.
 */
export async function appendChanges(db: Kysely<DB>, backend: Backend, drafts: readonly ChangeDraft[], at: string): Promise<void> {
  if (drafts.length === 0) return;
  const rows = drafts.map((d) => ({ draft: d, digest: changeDigest({ entity: d.entity, id: d.id, dataJson: d.data }) }));
  const groups = new Map<string, { stream: string; scope: string; rows: typeof rows }>();
  for (const row of rows) {
    const key = `${row.draft.stream}\u0000${row.draft.scope}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { stream: row.draft.stream, scope: row.draft.scope, rows: [] }));
    group.rows.push(row);
  }
  const heads = [...groups.values()];
  if (heads.some((h) => h.stream === 'reference')) heads.push({ ...REFERENCE_LOCK, rows: [] });
  heads.sort((a, b) => (a.stream === b.stream ? (a.scope < b.scope ? -1 : 1) : a.stream < b.stream ? -1 : 1));

  const cumulative = new Map<(typeof rows)[number], { count: number; checksum: number }>();
  for (const head of heads) {
    const added = head.rows.reduce((sum, r) => (sum + r.digest) % CHECKSUM_MODULUS, 0);
    const after = await db
      .insertInto('stream_head')
      .values({ stream: head.stream, scope: head.scope, row_count: head.rows.length, checksum: added })
      .onConflict((oc) =>
        oc.columns(['stream', 'scope']).doUpdateSet({
          row_count: sql`stream_head.row_count + excluded.row_count`,
          checksum: sql`(stream_head.checksum + excluded.checksum) % ${sql.lit(CHECKSUM_MODULUS)}`,
        }),
      )
      .returning(['row_count', 'checksum'])
      .executeTakeFirstOrThrow();
    let count = Number(after.row_count) - head.rows.length;
    let checksum = (Number(after.checksum) - added + CHECKSUM_MODULUS) % CHECKSUM_MODULUS;
    for (const row of head.rows) {
      count += 1;
      checksum = (checksum + row.digest) % CHECKSUM_MODULUS;
      cumulative.set(row, { count, checksum });
    }
  }

  const values = rows.map((row) => {
    const cum = cumulative.get(row)!;
    return {
      stream: row.draft.stream,
      scope: row.draft.scope,
      entity: row.draft.entity,
      entity_id: row.draft.id,
      data: row.draft.data,
      digest: row.digest,
      cum_count: cum.count,
      cum_checksum: cum.checksum,
      at,
    };
  });
  await insertRows(db, backend, 'change', CHANGE_COLUMNS, values);
}

const CHANGE_COLUMNS = {
  stream: 'text',
  scope: 'text',
  entity: 'text',
  entity_id: 'text',
  data: 'json',
  digest: 'bigint',
  cum_count: 'bigint',
  cum_checksum: 'bigint',
  at: 'text',
} as const;
