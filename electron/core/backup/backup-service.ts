import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Logger } from '#shared/log/logger';
import type { Clock } from '../platform/deps';
import type { Actor, CommandRunner } from '../store/command';
import { readBackupFile, readBackupHeader, writeBackupFile, type BackupHeader } from './backup-file';

export interface BackupSettings {
  /** A second disk or a USB stick; null until the administrator chooses one. */
  dir: string | null;
  intervalHours: number;
  keep: number;
}

export interface BackupRecord {
  file: string;
  createdAt: string;
  sizeBytes: number;
  verified: boolean;
  counts: Record<string, number>;
}

const DEFAULT_SETTINGS: BackupSettings = { dir: null, intervalHours: 24, keep: 14 };
const EXTENSION = '.ycbak';

/** Rows per table: what a backup promises to contain, checked on verification and restore. */
export function countRows(db: Database): Record<string, number> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all();
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** Opens a plain database file read-only and proves it whole: integrity check and the promised row counts. */
export function checkDatabaseFile(file: string, expected?: Record<string, number>): Record<string, number> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`数据库完整性检查未通过：${String(integrity)}`);
    const counts = countRows(db);
    if (expected && JSON.stringify(counts) !== JSON.stringify(expected)) throw new Error('备份中的记录数与备份时不一致');
    return counts;
  } finally {
    db.close();
  }
}

/**
 * Online, encrypted, verified backups of the station store. The SQLite backup API copies
 * a consistent snapshot while the app keeps working; the copy is checked, encrypted with
 * the station's key, written atomically, decrypted again and re-checked, then rotated.
 */
export class BackupService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<BackupRecord> | undefined;

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
    const row = this.deps.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  private static setMeta(db: Database, key: string, value: unknown): void {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      key,
      JSON.stringify(value),
    );
  }

  settings(): BackupSettings {
    return { ...DEFAULT_SETTINGS, ...this.meta<Partial<BackupSettings>>('backup.settings', {}) };
  }

  updateSettings(actor: Actor, next: BackupSettings): BackupSettings {
    this.deps.commands.run(actor, (db) => {
      const before = this.settings();
      BackupService.setMeta(db, 'backup.settings', next);
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
    return createHash('sha256').update(this.key()).digest('hex').slice(0, 16).toUpperCase();
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
  run(actor: Actor, onProgress: (done: number, total: number) => void = () => undefined): Promise<BackupRecord> {
    this.running ??= this.backup(actor, onProgress).finally(() => (this.running = undefined));
    return this.running;
  }

  private async backup(actor: Actor, onProgress: (done: number, total: number) => void): Promise<BackupRecord> {
    const { dir, keep } = this.settings();
    if (!dir) throw new Error('尚未设置备份目录');
    mkdirSync(dir, { recursive: true });
    const now = this.deps.clock.now();
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    const station = this.deps.stationCode();
    const file = join(dir, `yichuang-${station}-${stamp}${EXTENSION}`);
    // The plain copy stays on the station's own disk, never on the removable target.
    const scratch = join(this.deps.dataDir, `backup-${stamp}.tmp`);
    try {
      await this.deps.db.backup(scratch, {
        progress: ({ totalPages, remainingPages }) => {
          onProgress(totalPages - remainingPages, totalPages);
          return 200;
        },
      });
      const counts = checkDatabaseFile(scratch);
      const header: BackupHeader = {
        stationCode: station,
        schemaVersion: this.deps.db.pragma('user_version', { simple: true }) as number,
        createdAt: now.toISOString(),
        counts,
      };
      writeBackupFile(file, header, readFileSync(scratch), this.key());
    } finally {
      rmSync(scratch, { force: true });
    }
    const verified = this.verify(file);
    const record: BackupRecord = {
      file,
      createdAt: now.toISOString(),
      sizeBytes: statSync(file).size,
      verified,
      counts: readBackupHeader(file).counts,
    };
    const history = [record, ...this.history().filter((r) => r.file !== file)];
    const kept = history.slice(0, keep);
    for (const old of history.slice(keep)) rmSync(old.file, { force: true });
    this.deps.commands.run(actor, (db) => {
      BackupService.setMeta(db, 'backup.history', kept);
      return {
        result: null,
        audit: { action: 'backup.create', class: 'key', entityType: 'backup', after: { file, verified, counts: record.counts } },
        outbox: { type: 'audit.backup_created', payload: { createdAt: record.createdAt, verified, counts: record.counts } },
      };
    });
    this.deps.logger.info('backup written', { file, verified });
    return record;
  }

  /** Decrypts a written backup and proves it whole; false (and logged) rather than throwing. */
  verify(file: string): boolean {
    const scratch = join(this.deps.dataDir, `verify-${randomBytes(4).toString('hex')}.tmp`);
    try {
      const { header, plain } = readBackupFile(file, this.key());
      writeFileSync(scratch, plain, { mode: 0o600 });
      checkDatabaseFile(scratch, header.counts);
      return true;
    } catch (err) {
      this.deps.logger.error('backup verification failed', { file, err: err instanceof Error ? err.message : String(err) });
      return false;
    } finally {
      rmSync(scratch, { force: true });
    }
  }

  /** Backup files present in the folder now (a stick may have been swapped), newest first. */
  filesInFolder(): { file: string; header: BackupHeader }[] {
    const { dir } = this.settings();
    if (!dir || !existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(EXTENSION))
      .sort()
      .reverse()
      .flatMap((f) => {
        try {
          return [{ file: join(dir, f), header: readBackupHeader(join(dir, f)) }];
        } catch {
          return [];
        }
      });
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
