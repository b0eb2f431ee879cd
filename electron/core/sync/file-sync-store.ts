import type { Database } from 'better-sqlite3';
import type { FileStatus } from '#shared/sync/files';
import type { StoredMime } from '../archive/page-files';

/** A stored page file as file sync sees it (page_blob with its page_upload row, migration 0009). */
export interface SyncFile {
  sha256: string;
  mime: StoredMime;
  size: number;
  /** The local copy is missing or failed its hash: it is never uploaded. */
  damaged: boolean;
}

type FileRow = Omit<SyncFile, 'damaged'> & { damaged: 0 | 1 };

const toFile = (r: FileRow): SyncFile => ({ ...r, damaged: r.damaged === 1 });

/**
 * Reads and writes of the upload state of page files. The local integrity flag (`damaged_at`) is the page store's
 * (archive/page-store.ts): pages.get sets it, a new capture or a verified download clears it.
 */
export function fileSyncStore(db: Database) {
  // A file whose pages were all removed stays on disk for the audit trail, but the central office no longer takes it.
  const live = 'EXISTS (SELECT 1 FROM case_page p WHERE p.sha256 = u.sha256 AND p.removed_at IS NULL)';
  // Only files an acknowledged `case.page_attached` operation names, and that the central office did not refuse:
  // the central office accepts no bytes before the operation referring to them.
  const due = db.prepare<[string, number], FileRow>(
    `SELECT b.sha256, b.mime, b.size, u.damaged_at IS NOT NULL AS damaged
       FROM page_upload u JOIN page_blob b ON b.sha256 = u.sha256
      WHERE u.stored_at IS NULL AND u.sha256 > ? AND ${live}
        AND EXISTS (SELECT 1 FROM outbox o
                     WHERE o.type = 'case.page_attached' AND json_extract(o.payload, '$.sha256') = u.sha256 AND o.pushed_at IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM sync_inbox i WHERE i.kind = 'refusal' AND i.op_id = o.op_id))
      ORDER BY u.sha256 LIMIT ?`,
  );
  const toRepair = db.prepare<[], FileRow>(
    `SELECT b.sha256, b.mime, b.size, 1 AS damaged FROM page_upload u JOIN page_blob b ON b.sha256 = u.sha256
      WHERE u.damaged_at IS NOT NULL AND u.stored_at IS NOT NULL AND ${live} ORDER BY u.damaged_at, u.sha256`,
  );
  const totals = db.prepare<[], { pages: number; bytes: number | null }>(
    `SELECT COUNT(*) AS pages, SUM(b.size - u.confirmed_bytes) AS bytes FROM page_upload u JOIN page_blob b ON b.sha256 = u.sha256
      WHERE u.stored_at IS NULL AND u.damaged_at IS NULL AND ${live}`,
  );
  const damaged = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM page_upload u WHERE u.damaged_at IS NOT NULL AND ${live}`);
  const lastProblem = db.prepare<[], { last_error: string }>(
    `SELECT last_error FROM page_upload WHERE last_error IS NOT NULL AND (stored_at IS NULL OR damaged_at IS NOT NULL)
      ORDER BY updated_at DESC LIMIT 1`,
  );
  // Stored files the central office last confirmed before the cutoff, oldest first (migration 0011).
  const toRecheck = db.prepare<[string, number], FileRow>(
    `SELECT b.sha256, b.mime, b.size, 0 AS damaged FROM page_upload u JOIN page_blob b ON b.sha256 = u.sha256
      WHERE u.stored_at IS NOT NULL AND u.damaged_at IS NULL AND u.checked_at < ? AND ${live}
      ORDER BY u.checked_at, u.sha256 LIMIT ?`,
  );
  const stored = db.prepare<{ sha256: string; at: string }>(
    `UPDATE page_upload SET stored_at = @at, checked_at = @at, last_error = NULL, updated_at = @at,
       confirmed_bytes = (SELECT size FROM page_blob WHERE sha256 = @sha256) WHERE sha256 = @sha256`,
  );
  const checked = db.prepare<{ sha256: string; at: string }>('UPDATE page_upload SET checked_at = @at WHERE sha256 = @sha256');
  const lost = db.prepare<{ sha256: string; bytes: number; at: string }>(
    `UPDATE page_upload SET stored_at = NULL, checked_at = NULL, confirmed_bytes = @bytes, updated_at = @at WHERE sha256 = @sha256`,
  );
  /** One transaction for a whole answer: a re-check is up to MAX_STATUS_FILES rows. */
  const rechecked = db.transaction((answers: readonly FileStatus[], at: string) => {
    for (const a of answers) {
      if (a.state === 'missing' || a.state === 'partial') lost.run({ sha256: a.sha256, bytes: a.offset, at });
      else checked.run({ sha256: a.sha256, at });
    }
  });
  const confirmed = db.prepare<{ sha256: string; bytes: number; at: string }>(
    'UPDATE page_upload SET confirmed_bytes = @bytes, updated_at = @at WHERE sha256 = @sha256',
  );
  const problem = db.prepare<{ sha256: string; error: string; at: string }>(
    'UPDATE page_upload SET last_error = @error, updated_at = @at WHERE sha256 = @sha256',
  );

  return {
    /** Files not yet held centrally whose hash sorts after `after` (a phase walks them in hash order), at most `limit`. */
    due: (after: string, limit: number): SyncFile[] => due.all(after, limit).map(toFile),
    /** Damaged local files the central office is known to hold. */
    toRepair: (): SyncFile[] => toRepair.all().map(toFile),
    /** Files held centrally whose last confirmation is older than `before`, oldest first, at most `limit`. */
    toRecheck: (before: string, limit: number): SyncFile[] => toRecheck.all(before, limit).map(toFile),
    /**
     * What a re-check learnt: a file the central office no longer holds whole (`missing`, `partial`) is back in the
     * upload queue at its offset; `stored` (or `unreferenced`, which the station cannot send) is asked about again a
     * day later.
     */
    rechecked: (answers: readonly FileStatus[], at: string) => rechecked(answers, at),
    /** What the status shows: files still to send (not damaged) and their unconfirmed bytes, damaged ones, the last problem. */
    totals() {
      const t = totals.get()!;
      return {
        pendingPages: t.pages,
        pendingBytes: t.bytes ?? 0,
        corruptPages: damaged.get()!.n,
        problem: lastProblem.get()?.last_error ?? null,
      };
    },
    stored: (sha256: string, at: string) => stored.run({ sha256, at }),
    confirmed: (sha256: string, bytes: number, at: string) => confirmed.run({ sha256, bytes, at }),
    problem: (sha256: string, error: string, at: string) => problem.run({ sha256, error, at }),
  };
}
export type FileSyncStore = ReturnType<typeof fileSyncStore>;
