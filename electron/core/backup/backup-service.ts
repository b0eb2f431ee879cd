import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { BackupFileInfo, BackupPhase, BackupRecord, LastRestore, PendingRestore } from '#shared/api/backup';
import type { Logger } from '#shared/log/logger';
import type { Clock } from '../platform/deps';
import type { Actor, CommandRunner } from '../store/command';
import {
  BACKUP_EXTENSION,
  BackupFileError,
  keyFingerprint,
  readBackupFile,
  readBackupHeader,
  writeBackupFile,
  type BackupHeader,
} from './backup-file';
import { backUpPages, pageFilesAbsent, pageRows, prunePageFiles, type PagesBackedUp } from './backup-pages';
import { checkDatabaseFile } from './database-check';
import { syncFolder } from './durable-write';
import { LAST_RESTORE, readMeta, writeMeta } from './meta';
import { removeDatabaseFiles, RestoreRefused, type RestoreRequest } from './restore';
import { discardStagedRestore, pendingRestore, stageRestore } from './staged-restore';

export interface BackupSettings {
  /** A second disk or a USB stick; null until the administrator chooses one. */
  dir: string | null;
  intervalHours: number;
  keep: number;
}

const DEFAULT_SETTINGS: BackupSettings = { dir: null, intervalHours: 24, keep: 14 };

export type BackupProgress = (phase: BackupPhase, done: number, total: number) => void;

/** The pages a plain store copy refers to. */
function pageRowsOf(file: string) {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return pageRows(db);
  } finally {
    db.close();
  }
}

/**
 * Online, encrypted, verified backups of the station store and its material pages. The
 * SQLite backup API copies a consistent snapshot while the app keeps working; the copy is
 * checked, the pages it refers to are put beside the backups (backup-pages.ts: each page
 * file written once, later backups reuse it), the store is encrypted with the station's
 * key, written atomically, decrypted again and re-checked, then rotated with the page
 * files no kept backup needs.
 */
export class BackupService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<BackupRecord> | undefined;
  private restoring = false;

  constructor(
    private readonly deps: {
      db: Database;
      dataDir: string;
      clock: Clock;
      logger: Logger;
      commands: CommandRunner;
      stationCode: () => string;
    },
  ) {}

  private meta<T>(key: string, fallback: T): T {
    return readMeta(this.deps.db, key, fallback);
  }

  settings(): BackupSettings {
    return { ...DEFAULT_SETTINGS, ...this.meta<Partial<BackupSettings>>('backup.settings', {}) };
  }

  updateSettings(actor: Actor, next: BackupSettings): BackupSettings {
    this.deps.commands.run(actor, (db) => {
      const before = this.settings();
      writeMeta(db, 'backup.settings', next);
      return {
        result: null,
        audit: { action: 'backup.settings', class: 'key', entityType: 'backup', before, after: next },
        outbox: { type: 'station.backup_settings', payload: { intervalHours: next.intervalHours, keep: next.keep } },
      };
    });
    this.schedule();
    return next;
  }

  /** The station's backup key, created on first use and readable by this user only. */
  key(): Buffer {
    const file = join(this.deps.dataDir, 'backup.key');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }

  keyFingerprint(): string {
    return keyFingerprint(this.key()).toUpperCase();
  }

  history(): BackupRecord[] {
    return this.meta<BackupRecord[]>('backup.history', []);
  }

  /** Overdue when the last verified backup is older than twice the interval (or there is none). */
  overdue(): boolean {
    const last = this.history().find((r) => r.verified);
    if (!last) return true;
    return this.deps.clock.now().getTime() - Date.parse(last.createdAt) > 2 * this.settings().intervalHours * 3_600_000;
  }

  /** One backup at a time; a second request while one runs waits for the same one. */
  run(actor: Actor, onProgress: BackupProgress = () => undefined): Promise<BackupRecord> {
    this.running ??= this.backup(actor, onProgress).finally(() => (this.running = undefined));
    return this.running;
  }

  private async backup(actor: Actor, onProgress: BackupProgress): Promise<BackupRecord> {
    const { dir, keep } = this.settings();
    if (!dir) throw new Error('尚未设置备份目录');
    mkdirSync(dir, { recursive: true });
    const now = this.deps.clock.now();
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    const station = this.deps.stationCode();
    const file = join(dir, `yichuang-${station}-${stamp}${BACKUP_EXTENSION}`);
    const key = this.key();
    // The plain copy stays on the station's own disk, never on the removable target.
    const scratch = join(this.deps.dataDir, `backup-${stamp}.tmp`);
    let pages: PagesBackedUp;
    try {
      await this.deps.db.backup(scratch, {
        progress: ({ totalPages, remainingPages }) => {
          onProgress('database', totalPages - remainingPages, totalPages);
          return 200;
        },
      });
      const counts = checkDatabaseFile(scratch);
      // The pages of the snapshot: each one's file was written before its row committed, so it is on disk.
      pages = await backUpPages({
        rows: pageRowsOf(scratch),
        dataDir: this.deps.dataDir,
        backupDir: dir,
        key,
        logger: this.deps.logger,
        onProgress: (done, total) => onProgress('pages', done, total),
      });
      const header: BackupHeader = {
        stationCode: station,
        schemaVersion: this.deps.db.pragma('user_version', { simple: true }) as number,
        createdAt: now.toISOString(),
        counts,
      };
      writeBackupFile(file, header, readFileSync(scratch), key, { folder: pages.folder, entries: pages.entries });
      syncFolder(dir);
    } finally {
      removeDatabaseFiles(scratch);
    }
    const verified = this.verify(file) && pages.failed.length === 0;
    const record: BackupRecord = {
      file,
      createdAt: now.toISOString(),
      sizeBytes: statSync(file).size,
      verified,
      counts: readBackupHeader(file).counts,
      pages: { count: pages.entries.length, written: pages.written, unavailable: pages.unavailable.length },
    };
    const history = [record, ...this.history().filter((r) => r.file !== file)];
    const kept = history.slice(0, keep);
    for (const old of history.slice(keep)) rmSync(old.file, { force: true });
    const pruned = prunePageFiles(dir, pages.folder, this.deps.logger);
    this.deps.commands.run(actor, (db) => {
      writeMeta(db, 'backup.history', kept);
      return {
        result: null,
        audit: {
          action: 'backup.create',
          class: 'key',
          entityType: 'backup',
          after: { file, verified, counts: record.counts, pages: record.pages },
        },
        outbox: { type: 'audit.backup_created', payload: { createdAt: record.createdAt, verified, counts: record.counts } },
      };
    });
    this.deps.logger.info('backup written', { file, verified, pages: record.pages, pageFilesRemoved: pruned });
    return record;
  }

  /**
   * Decrypts a written backup and proves it whole, with every page file it lists there in full length (each new one
   * was read back as it was written); false (and logged) rather than throwing.
   */
  verify(file: string): boolean {
    const scratch = join(this.deps.dataDir, `verify-${randomBytes(4).toString('hex')}.tmp`);
    try {
      const { header, plain, pages } = readBackupFile(file, this.key());
      writeFileSync(scratch, plain, { mode: 0o600 });
      checkDatabaseFile(scratch, header.counts);
      const absent = header.pages ? pageFilesAbsent(join(dirname(file), header.pages.folder), pages) : [];
      if (absent.length) throw new BackupFileError(`${absent.length} 个材料影像备份文件缺失或不完整`, 'tampered');
      return true;
    } catch (err) {
      this.deps.logger.error('backup verification failed', { file, err: err instanceof Error ? err.message : String(err) });
      return false;
    } finally {
      removeDatabaseFiles(scratch);
    }
  }

  /** Backup files present in the folder now (a stick may have been swapped), newest first; unreadable ones left out. */
  filesInFolder(): BackupFileInfo[] {
    const { dir } = this.settings();
    if (!dir || !existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(BACKUP_EXTENSION))
      .sort()
      .reverse()
      .flatMap((f) => {
        try {
          return [this.inspect(join(dir, f))];
        } catch {
          return [];
        }
      });
  }

  inspect(file: string): BackupFileInfo {
    const { stationCode, createdAt, schemaVersion } = readBackupHeader(file);
    return { file, stationCode, createdAt, schemaVersion, sizeBytes: statSync(file).size };
  }

  pendingRestore(): PendingRestore | null {
    return pendingRestore(this.deps.dataDir);
  }

  /** The last restore this store went through, as the restore recorded it in the store. */
  lastRestore(): LastRestore | null {
    return this.meta<LastRestore | null>(LAST_RESTORE, null);
  }

  /**
   * Verifies a backup into a fresh folder beside the live store and stages it for the next start (see
   * staged-restore.ts). The attempt is audited in the live store, a refusal too; the live store is not touched.
   */
  async stageRestore(
    actor: Actor,
    source: { file: string; key?: Buffer },
    onStep: NonNullable<RestoreRequest['onStep']>,
  ): Promise<PendingRestore> {
    if (this.restoring) throw new RestoreRefused('正在恢复，请等待当前恢复完成');
    this.restoring = true;
    try {
      const pending = await stageRestore({
        file: source.file,
        key: source.key ?? this.key(),
        dataDir: this.deps.dataDir,
        storeFile: basename(this.deps.db.name),
        stationCode: this.deps.stationCode(),
        actor,
        // The restored store's own audit entry is written by the same command runner the core uses, with its ids.
        deps: { clock: this.deps.clock, newId: uuidv7, logger: this.deps.logger },
        preparedBy: this.displayName(actor.operatorId),
        onStep,
      });
      this.audit(actor, 'backup.restore_staged', pending);
      this.deps.logger.info('restore staged', { file: source.file, keptAs: pending.keptAs });
      return pending;
    } catch (err) {
      if (err instanceof RestoreRefused || err instanceof BackupFileError)
        this.audit(actor, 'backup.restore_refused', { file: source.file, reason: err.message });
      throw err;
    } finally {
      this.restoring = false;
    }
  }

  cancelRestore(actor: Actor): void {
    const dropped = discardStagedRestore(this.deps.dataDir);
    if (dropped) this.audit(actor, 'backup.restore_cancelled', dropped);
  }

  private displayName(operatorId: string | null): string | null {
    if (!operatorId) return null;
    return (
      this.deps.db.prepare<[string], { display_name: string }>('SELECT display_name FROM operator WHERE id = ?').get(operatorId)
        ?.display_name ?? null
    );
  }

  /** Restore bookkeeping is this PC's own: no outbox operation (the central office has no type for it). */
  private audit(actor: Actor, action: string, after: unknown): void {
    this.deps.commands.run(actor, () => ({ result: null, audit: { action, class: 'key', entityType: 'backup', after } }));
  }

  /** Runs a backup every interval; a failure is logged and shows as overdue in the UI. */
  schedule(): void {
    clearInterval(this.timer);
    const { dir, intervalHours } = this.settings();
    if (!dir) return;
    this.timer = setInterval(() => {
      this.run({ operatorId: null, windowNo: null }).catch((err: unknown) =>
        this.deps.logger.error('scheduled backup failed', { err: err instanceof Error ? err.message : String(err) }),
      );
    }, intervalHours * 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
