import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../store/migrations/index';
import { openStore } from '../store/open';
import { readBackupFile, readBackupHeader, type BackupHeader } from './backup-file';
import { checkDatabaseFile } from './backup-service';

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

/**
 * Restores a backup into an empty data folder for the station it belongs to. Refuses
 * another station's backup, one written by a newer version, and any file that fails its
 * tag, integrity check or row counts; an older backup is migrated up as it opens.
 */
export function restoreBackup(p: { file: string; key: Buffer; dataDir: string; stationCode: string; storeFile: string }): BackupHeader {
  const target = join(p.dataDir, p.storeFile);
  if (existsSync(target)) throw new RestoreRefused(`目标数据目录已有数据库（${target}），请恢复到新的空目录`);
  const header = readBackupHeader(p.file);
  if (header.stationCode !== p.stationCode)
    throw new RestoreRefused(`这是站点 ${header.stationCode} 的备份，不能恢复到站点 ${p.stationCode}`);
  if (header.schemaVersion > MIGRATIONS.length) {
    throw new RestoreRefused(`备份由更新版本的一窗通写入（数据库版本 ${header.schemaVersion}），请先升级程序`);
  }
  const { plain } = readBackupFile(p.file, p.key);
  mkdirSync(p.dataDir, { recursive: true });
  writeFileSync(target, plain, { mode: 0o600 });
  try {
    checkDatabaseFile(target, header.counts);
    openStore(target).close();
  } catch (err) {
    rmSync(target, { force: true });
    throw err;
  }
  return header;
}
