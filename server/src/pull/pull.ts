import { PAGE_BYTE_BUDGET, type PullQuery, type PullResponse, type StreamName, type StreamPage } from '#shared/sync/protocol';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import { consumeNonce, type AuthenticatedDevice } from '../auth/device-auth';
import { regionReferenceScope, stationReferenceScope } from '../changes/append';
import type { Store } from '../db/store';
import { coveringRegions } from '../reference/regions';

/** The scopes a device reads in each stream: derived from its station alone, never from what it asks for. */
function scopesOf(station: { code: string; region_code: string }): Record<StreamName, string[]> {
  return {
    station: [station.code],
    reference: [...coveringRegions(station.region_code).map(regionReferenceScope), stationReferenceScope(station.code)],
  };
}

/** One page per stream after the device's cursors, each with the checkpoint as of the page's last change. */
export async function pullChanges(store: Store, auth: AuthenticatedDevice, query: PullQuery, now: () => Date): Promise<PullResponse> {
  await store.transaction((db) => consumeNonce(db, auth));
  const db = store.reader;
  const scopes = scopesOf(auth.station);

  async function page(stream: StreamName, after: number): Promise<StreamPage> {
    const rows = await db
      .selectFrom('change')
      .select(['seq', 'entity', 'entity_id', 'data'])
      .where('stream', '=', stream)
      .where('scope', 'in', scopes[stream])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(query.limit + 1)
      .execute();
    let bytes = 0;
    let take = 0;
    while (take < Math.min(rows.length, query.limit)) {
      bytes += rows[take]!.data.length;
      if (take > 0 && bytes > PAGE_BYTE_BUDGET) break;
      take += 1;
    }
    const changes = rows
      .slice(0, take)
      .map((r) => ({ seq: r.seq, entity: r.entity as StreamPage['changes'][number]['entity'], id: r.entity_id, data: r.data }));
    const cursor = changes.at(-1)?.seq ?? after;
    // Each scope's running totals as of its last change at or before the cursor.
    let count = 0;
    let checksum = 0;
    for (const scope of scopes[stream]) {
      const head = await db
        .selectFrom('change')
        .select(['cum_count', 'cum_checksum'])
        .where('stream', '=', stream)
        .where('scope', '=', scope)
        .where('seq', '<=', cursor)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (head) {
        count += Number(head.cum_count);
        checksum = (checksum + Number(head.cum_checksum)) % CHECKSUM_MODULUS;
      }
    }
    return { changes, cursor, hasMore: take < rows.length, checkpoint: { cursor, count, checksum } };
  }

  const [station, reference] = [await page('station', query.station), await page('reference', query.reference)];
  // What was read may have been committed a moment ago: it leaves only once it is on disk.
  await store.durable();
  return { streams: { station, reference }, serverTime: now().toISOString() };
}
