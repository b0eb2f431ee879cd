import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { LastRestore, PageRestore, RestoreStep } from '#shared/api/backup';
import { verifyAuditChain } from '../audit/verify';
import type { CoreDeps } from '../platform/deps';
import { createCommandRunner, type Actor } from '../store/command';
import { MIGRATIONS } from '../store/migrations/index';
import { openStore } from '../store/open';
import { requestPageCheck } from '../sync/file-sync-check';
import { BackupFileError, readBackupFile, readBackupHeader, type BackupHeader } from './backup-file';
import { pageRows, restorePages } from './backup-pages';
import { checkDatabaseFile } from './database-check';
import { LAST_RESTORE, writeMeta } from './meta';

/** A store's files: the database and its write-ahead log go together, the log may hold committed transactions. */
export const STORE_PARTS = ['', '-wal', '-shm'] as const;

/** Removes a database file with its log and shared-memory files (opening one in WAL mode, even read-only, makes them). */
export function removeDatabaseFiles(file: string): void {
  for (const part of STORE_PARTS) rmSync(`${file}${part}`, { force: true });
}

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

export interface RestoreRequest {
  file: string;
  key: Buffer;
  /** An empty (or missing) folder the store is restored into. */
  dataDir: string;
  stationCode: string;
  storeFile: string;
  /** Who restores: recorded in the restored store's own audit log (null operator for the restore script). */
  actor: Actor;
  deps: CoreDeps;
  /**
   * A data folder whose page files, where whole, serve the restored store as they are: the live folder of a restore
   * from the backup page, whose pages folder the restored store takes over (staged-restore.ts).
   */
  pagesPresentIn?: string;
  /**
   * Called as each step starts, and as the pages step goes on with the pages done of the total; awaited, so a caller
   * can let its progress event go out before the work goes on.
   */
  onStep?: (step: RestoreStep, pages?: { done: number; total: number }) => void | Promise<void>;
}

export interface RestoreResult {
  header: BackupHeader;
  pages: PageRestore;
}

/** What the store and the API keep of a page report: the counts and the first problems (the log has them all). */
export const firstProblems = (pages: PageRestore): PageRestore => ({ ...pages, problems: pages.problems.slice(0, 20) });

/**
 * Restores a backup into an empty data folder for the station it belongs to. Refuses
 * another station's backup, one written by a newer version, and any file that fails its
 * tag, integrity check, row counts or audit chain; an older backup is migrated up as it
 * opens. Then the pages, each verified by its hash: a missing or damaged one is reported,
 * not written, and does not stop the restore (the store is usable, the page can be fetched
 * again). The restored store's audit log then records the restore itself, so its history
 * says where the data came from and which pages it lacks; the marker it leaves has the first
 * start mark those pages for file sync to fetch (sync/file-sync-check.ts).
 */
export async function restoreBackup(p: RestoreRequest): Promise<RestoreResult> {
  const target = join(p.dataDir, p.storeFile);
  if (existsSync(target)) throw new RestoreRefused(`目标数据目录已有数据库（${target}），请恢复到新的空目录`);
  await p.onStep?.('header');
  const header = readBackupHeader(p.file);
  if (header.stationCode !== p.stationCode)
    throw new RestoreRefused(`这是站点 ${header.stationCode} 的备份，不能恢复到站点 ${p.stationCode}`);
  if (header.schemaVersion > MIGRATIONS.length) {
    throw new RestoreRefused(`备份由更新版本的一窗通写入（数据库版本 ${header.schemaVersion}），请先升级程序`);
  }
  await p.onStep?.('decrypt');
  const { plain } = readBackupFile(p.file, p.key);
  mkdirSync(p.dataDir, { recursive: true });
  writeFileSync(target, plain, { mode: 0o600 });
  try {
    await p.onStep?.('verify');
    checkDatabaseFile(target, header.counts);
    await p.onStep?.('open');
    const db = openStore(target);
    try {
      const chain = verifyAuditChain(db);
      if (!chain.ok) throw new BackupFileError(`备份中的${chain.message}`, 'tampered');
      const pages = await restorePages({
        rows: pageRows(db),
        root: header.pages ? join(dirname(p.file), header.pages.folder) : null,
        key: p.key,
        dataDir: p.dataDir,
        presentIn: p.pagesPresentIn,
        logger: p.deps.logger,
        onProgress: (done, total) => p.onStep?.('pages', { done, total }),
      });
      recordRestore(db, header, firstProblems(pages), p);
      // The first start checks the page files, so the pages left out are fetched from the central office unasked.
      requestPageCheck(p.dataDir);
      return { header, pages };
    } finally {
      db.close();
    }
  } catch (err) {
    removeDatabaseFiles(target);
    throw err;
  }
}

function recordRestore(db: Database, header: BackupHeader, pages: PageRestore, p: RestoreRequest): void {
  // No outbox operation: the central office has no type for it, and a type it does not know would stop the upload.
  createCommandRunner(db, p.deps, () => header.stationCode).run(p.actor, (tx) => {
    const restored: LastRestore = { at: p.deps.clock.now().toISOString(), file: p.file, backupCreatedAt: header.createdAt, pages };
    writeMeta(tx, LAST_RESTORE, restored);
    return {
      result: null,
      audit: {
        action: 'backup.restore',
        class: 'key',
        entityType: 'backup',
        after: { ...restored, schemaVersion: header.schemaVersion, counts: header.counts },
      },
    };
  });
}
