import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from '#shared/log/logger';
import { PageIntegrityError } from '../archive/page-files';
import { pageStore } from '../archive/page-store';
import { pageRows } from '../backup/backup-pages';
import { syncFolder, writeFileDurably } from '../backup/durable-write';

/**
 * In the data folder from a restore until the next start has checked the restored store's page files: a restore
 * leaves out pages missing from the backup folder or damaged there, and file sync learns of a bad page only when
 * something reads it. The check marks them damaged so the next round fetches them from the central office.
 */
export const PAGE_CHECK_MARKER = 'pages-unchecked';

/** Written by a restore once its store is complete (restore.ts, and the switch to a staged one). */
export function requestPageCheck(dataDir: string): void {
  writeFileDurably(join(dataDir, PAGE_CHECK_MARKER), [Buffer.from('restored from a backup: page files are checked at the next start\n')]);
  syncFolder(dataDir);
}

/**
 * At start, before sync runs, when a restore asked for it: every page file of the store is looked at for presence
 * and size (its hash is checked on every read and before upload; hashing every page would hold the start for
 * minutes). Missing or wrong-sized ones get the page store's damaged mark. The marker goes only after the marks
 * committed, and marking again changes nothing, so a power cut in between just repeats the check.
 */
export function checkPagesAfterRestore(p: { db: Database; dataDir: string; logger: Logger; now: string }): void {
  const marker = join(p.dataDir, PAGE_CHECK_MARKER);
  if (!existsSync(marker)) return;
  const log = p.logger.child('files');
  const pages = pageStore(p.db, p.dataDir);
  const rows = pageRows(p.db);
  const bad = rows.flatMap(({ sha256, mime, size }) => {
    const found = statSync(pages.files.pathOf(sha256, mime), { throwIfNoEntry: false });
    if (found?.isFile() && found.size === size) return [];
    return [new PageIntegrityError(sha256, found ? 'mismatch' : 'missing')];
  });
  p.db.transaction(() => bad.forEach((e) => pages.markDamaged(e.sha256, p.now, e.message)))();
  rmSync(marker, { force: true });
  if (bad.length === 0) log.info('page files checked after a restore: all present', { pages: rows.length });
  else
    log.warn('page files missing or damaged after a restore: marked to be fetched from the central office', {
      pages: rows.length,
      bad: bad.map((e) => ({ sha256: e.sha256, found: e.found })),
    });
}
