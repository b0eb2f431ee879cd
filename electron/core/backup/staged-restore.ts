import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pendingRestoreSchema, type PendingRestore } from '#shared/api/backup';
import type { Logger } from '#shared/log/logger';
import { requestPageCheck } from '../sync/file-sync-check';
import { syncFolder, writeFileDurably } from './durable-write';
import { firstProblems, RestoreRefused, restoreBackup, STORE_PARTS, type RestoreRequest } from './restore';

/**
 * A restore from the UI, done in two halves so the live store is never touched while the app uses it:
 *
 * 1. `stageRestore` (the running core) restores and verifies the backup into a fresh folder beside the live store,
 *    then writes the marker: the marker is what commits the staging.
 * 2. `applyStagedRestore` (the next start, before the core opens the store) moves the restored pages into the live
 *    pages folder, asks the core for the page check (sync/file-sync-check.ts), moves the live store files into a kept
 *    folder and the staged store into their place, then removes the marker.
 *
 * Only the store files move: the keys beside them (backup key, sync device key) belong to this PC and stay. The pages
 * folder stays too and serves both stores: files named by their content never change, so the restore stages only the
 * pages the live folder lacks whole, and a page of the kept store is still there should it be needed. Each step of
 * the switch is a rename and the switch can be run again after a power cut at any point: a staged file still being
 * there means it has not been moved yet.
 */
const STAGED_DIR = 'restore-staged';
const MARKER = 'restore-staged.json';

export function pendingRestore(dataDir: string): PendingRestore | null {
  const marker = join(dataDir, MARKER);
  return existsSync(marker) ? pendingRestoreSchema.parse(JSON.parse(readFileSync(marker, 'utf8'))) : null;
}

export async function stageRestore(
  p: Omit<RestoreRequest, 'dataDir' | 'stationCode'> & { dataDir: string; stationCode: string; preparedBy: string | null },
): Promise<PendingRestore> {
  const waiting = pendingRestore(p.dataDir);
  if (waiting) throw new RestoreRefused(`已有一个待重启生效的恢复（${waiting.backupCreatedAt} 的备份），请先取消它`);
  const staged = join(p.dataDir, STAGED_DIR);
  // Leftovers of a staging cut short hold a restored copy, never live data.
  rmSync(staged, { recursive: true, force: true });
  try {
    const { header, pages } = await restoreBackup({ ...p, dataDir: staged, pagesPresentIn: p.dataDir });
    if (existsSync(join(staged, `${p.storeFile}-wal`))) throw new Error('恢复的数据库未完整关闭');
    const now = p.deps.clock.now();
    const pending: PendingRestore = {
      file: p.file,
      stationCode: header.stationCode,
      backupCreatedAt: header.createdAt,
      preparedAt: now.toISOString(),
      preparedBy: p.preparedBy,
      keptAs: `before-restore-${now.toISOString().replace(/[-:.]/g, '')}`,
      pages: firstProblems(pages),
    };
    writeFileDurably(join(p.dataDir, MARKER), [Buffer.from(JSON.stringify(pending))]);
    return pending;
  } catch (err) {
    rmSync(staged, { recursive: true, force: true });
    throw err;
  }
}

/** Forgets a staged restore: the marker first, so a power cut in between leaves nothing the next start would apply. */
export function discardStagedRestore(dataDir: string): PendingRestore | null {
  const pending = pendingRestore(dataDir);
  rmSync(join(dataDir, MARKER), { force: true });
  rmSync(join(dataDir, STAGED_DIR), { recursive: true, force: true });
  return pending;
}

/** At startup, before the store opens: switches to a staged restore if there is one. Returns what it applied. */
export function applyStagedRestore(dataDir: string, storeFile: string, logger: Logger): PendingRestore | null {
  const pending = pendingRestore(dataDir);
  if (!pending) return null;
  movePages(join(dataDir, STAGED_DIR, 'pages'), join(dataDir, 'pages'));
  // The restore's own marker stays in the staging folder: the check is of the live folder the store takes over.
  requestPageCheck(dataDir);
  const staged = join(dataDir, STAGED_DIR, storeFile);
  if (existsSync(staged)) {
    const kept = join(dataDir, pending.keptAs);
    mkdirSync(kept, { recursive: true });
    for (const part of STORE_PARTS) {
      const live = join(dataDir, `${storeFile}${part}`);
      if (existsSync(live)) renameSync(live, join(kept, `${storeFile}${part}`));
    }
    renameSync(staged, join(dataDir, storeFile));
  }
  rmSync(join(dataDir, MARKER), { force: true });
  rmSync(join(dataDir, STAGED_DIR), { recursive: true, force: true });
  logger.info('switched to a restored backup', { backupCreatedAt: pending.backupCreatedAt, keptAs: pending.keptAs });
  return pending;
}

/** Moves each staged page file into the live pages folder, replacing a damaged one of the same name. */
function movePages(from: string, to: string): void {
  if (!existsSync(from)) return;
  for (const sub of readdirSync(from)) {
    mkdirSync(join(to, sub), { recursive: true });
    for (const name of readdirSync(join(from, sub))) renameSync(join(from, sub, name), join(to, sub, name));
    syncFolder(join(to, sub));
  }
}
