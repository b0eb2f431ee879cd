import type { Database } from 'better-sqlite3';
import type { Logger } from '#shared/log/logger';
import {
  caseChangeSchema,
  conflictChangeSchema,
  dayCloseChangeSchema,
  refusalChangeSchema,
  registryChangeSchema,
  stationChangeSchema,
} from '#shared/sync/changes';
import type { ChangeEntity, PullResponse, StreamName } from '#shared/sync/protocol';
import { operatorAccountSchema, REFERENCE_SCHEMAS, referenceVersionSchema } from '#shared/sync/reference';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import type { StationQueries } from '../station/station';
import { operatorApplier, stationApplier } from './apply-accounts';
import { caseApplier } from './apply-case';
import { registryApplier } from './apply-registry';
import type { InboxStore } from './inbox';
import { changeDigest } from './node-crypto';
import { pendingOps } from './pending-ops';
import type { SyncStore } from './sync-store';

export interface PageDeps {
  db: Database;
  store: SyncStore;
  inbox: InboxStore;
  station: StationQueries;
  logger: Logger;
  newId: () => string;
  now: () => string;
  deviceId: () => string;
}

/** What one page did: the streams whose checkpoint disagreed (their cursor went back to 0), and whether more follows. */
export interface PageOutcome {
  mismatched: StreamName[];
  hasMore: boolean;
  applied: number;
}

/**
 * Applies one pull answer: every change of both streams through its entity's applier, the new cursors, counts and
 * checksums, in ONE transaction. A change that does not parse throws, and the whole page (cursors included) rolls
 * back, so a page is never half applied and its cursor never moves past a change that was not applied.
 */
export function pageApplier(deps: PageDeps): (response: PullResponse) => PageOutcome {
  const { db, store, inbox, logger } = deps;
  const lookup = pendingOps(db);
  // A PC with nothing waiting (a first sync, most pulls) need not look for unsent changes change by change.
  let anyPending = true;
  const pending: typeof lookup = (...args) => (anyPending ? lookup(...args) : []);
  const registry = registryApplier(db, pending, logger);
  const cases = caseApplier(db, pending, deps.newId);
  const operators = operatorApplier(db, logger);
  const station = stationApplier(deps.station, pending);
  const putReference = db.prepare(
    `INSERT OR IGNORE INTO sync_reference (kind, region, version, effective_from, published_at, data)
     VALUES (@kind, @region, @version, @effectiveFrom, @publishedAt, @data)`,
  );
  let referencesStored = false;
  const putDayClose = db.prepare(
    `INSERT OR REPLACE INTO sync_day_close (id, business_date, status, device_id, at) VALUES (@id, @businessDate, @status, @deviceId, @at)`,
  );

  const apply: Record<ChangeEntity, (data: unknown) => void> = {
    case: (data) => cases(caseChangeSchema.parse(data)),
    person: (data) => registry('person', registryChangeSchema.parse(data), deps.now()),
    employer: (data) => registry('employer', registryChangeSchema.parse(data), deps.now()),
    operator: (data) => operators(operatorAccountSchema.parse(data), deps.now()),
    station: (data) => station(stationChangeSchema.parse(data)),
    reference: (data) => {
      const ref = referenceVersionSchema.parse(data);
      // Checked by the kind's domain schema here too: whatever uses it later can trust what is stored.
      putReference.run({ ...ref, data: JSON.stringify(REFERENCE_SCHEMAS[ref.kind].parse(ref.data)) });
      referencesStored = true;
    },
    // Refusals and conflicts of every counter of the station come down; this PC's inbox keeps its own.
    refusal: (data) => {
      const r = refusalChangeSchema.parse(data);
      if (r.deviceId === deps.deviceId()) inbox.refusal(r);
    },
    conflict: (data) => {
      const c = conflictChangeSchema.parse(data);
      const op = store.ownOperation(c.opId);
      if (op) inbox.conflict(c, op);
    },
    day_close: (data) => putDayClose.run(dayCloseChangeSchema.parse(data)),
  };

  return db.transaction((response: PullResponse): PageOutcome => {
    const mismatched: StreamName[] = [];
    let applied = 0;
    referencesStored = false;
    anyPending = store.pendingCount() > 0;
    for (const [stream, page] of Object.entries(response.streams) as [StreamName, PullResponse['streams'][StreamName]][]) {
      let { count, checksum } = store.cursor(stream);
      for (const change of page.changes) {
        apply[change.entity](JSON.parse(change.data) as unknown);
        count += 1;
        checksum = (checksum + changeDigest({ entity: change.entity, id: change.id, dataJson: change.data })) % CHECKSUM_MODULUS;
      }
      applied += page.changes.length;
      if (count === page.checkpoint.count && checksum === page.checkpoint.checksum) {
        store.putCursor({ stream, cursor: page.cursor, count, checksum });
      } else {
        // Something was lost or altered on the way: this stream only is read again from the start.
        logger.warn('stream checkpoint mismatch: refetching the stream', { stream, count, checksum, checkpoint: page.checkpoint });
        store.resetCursor(stream);
        mismatched.push(stream);
      }
    }
    // Last, so what reacts to new versions sees the whole page, and a failure in it rolls the page back too.
    if (referencesStored) store.referenceApplied();
    const hasMore = response.streams.station.hasMore || response.streams.reference.hasMore;
    return { mismatched, hasMore, applied };
  });
}
