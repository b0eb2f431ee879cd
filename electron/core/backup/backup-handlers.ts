import { setImmediate as nextTurn } from 'node:timers/promises';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { CommandRunner } from '../store/command';
import { BackupFileError } from './backup-file';
import type { BackupService } from './backup-service';
import { RestoreRefused } from './restore';

const KEY_BYTES = 32;

/** A restore's refusals in the caller's words: which backup cannot be restored here and why. */
function restoreError(err: unknown, file: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof RestoreRefused) return new ApiError('CONFLICT', err.message);
  if (err instanceof BackupFileError) return new ApiError('VALIDATION', err.message);
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ApiError('NOT_FOUND', `找不到备份文件：${file}`);
  return new ApiError('INTERNAL', `恢复失败：${err instanceof Error ? err.message : String(err)}`);
}

function recoveryKey(text: string | undefined): Buffer | undefined {
  if (!text) return undefined;
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) throw new ApiError('VALIDATION', '恢复密钥格式不正确：请粘贴“显示恢复密钥”导出的整段密钥');
  return key;
}

export function backupHandlers(deps: {
  backups: BackupService;
  commands: CommandRunner;
  /** Restarts the app (the Electron shell); absent where the app cannot restart itself. */
  restart?: (() => void) | undefined;
}): Pick<
  Handlers,
  | 'backup.status'
  | 'backup.updateSettings'
  | 'backup.run'
  | 'backup.exportKey'
  | 'backup.inspect'
  | 'backup.restore'
  | 'backup.cancelRestore'
  | 'backup.restartNow'
> {
  const { backups } = deps;
  let running = false;
  return {
    'backup.status': () => ({
      settings: backups.settings(),
      history: backups.history(),
      files: backups.filesInFolder(),
      overdue: backups.overdue(),
      keyFingerprint: backups.keyFingerprint(),
      running,
      pendingRestore: backups.pendingRestore(),
      lastRestore: backups.lastRestore(),
      canRestart: deps.restart !== undefined,
    }),
    'backup.updateSettings': (settings, { actor }) => backups.updateSettings(actor, settings),
    async 'backup.run'(_params, { actor, connection }) {
      if (!backups.settings().dir) throw new ApiError('VALIDATION', '请先设置备份目录（第二块硬盘或U盘）');
      running = true;
      try {
        return await backups.run(actor, (phase, done, total) => connection.emit({ type: 'backup.progress', phase, done, total }));
      } catch (err) {
        throw new ApiError('INTERNAL', `备份失败：${err instanceof Error ? err.message : String(err)}`);
      } finally {
        running = false;
      }
    },
    'backup.exportKey'(_params, { actor }) {
      return deps.commands.run(actor, () => ({
        result: { key: backups.key().toString('base64'), fingerprint: backups.keyFingerprint() },
        audit: { action: 'backup.export_key', class: 'key', entityType: 'backup' },
        outbox: { type: 'audit.backup_key_exported', payload: { fingerprint: backups.keyFingerprint() } },
      }));
    },
    'backup.inspect'({ file }) {
      try {
        return backups.inspect(file);
      } catch (err) {
        throw restoreError(err, file);
      }
    },
    async 'backup.restore'({ file, key }, { actor, connection }) {
      try {
        return await backups.stageRestore(actor, { file, key: recoveryKey(key) }, async (step, pages) => {
          connection.emit({ type: 'backup.restoreProgress', step, ...pages });
          // The steps are synchronous work: let the event go out before the next one blocks the loop.
          await nextTurn();
        });
      } catch (err) {
        throw restoreError(err, file);
      }
    },
    'backup.cancelRestore'(_params, { actor }) {
      backups.cancelRestore(actor);
      return { ok: true as const };
    },
    'backup.restartNow'(_params, { actor }) {
      const pending = backups.pendingRestore();
      if (!pending) throw new ApiError('CONFLICT', '没有待重启生效的恢复');
      const restart = deps.restart;
      if (!restart) return { restarting: false };
      deps.commands.run(actor, () => ({
        result: null,
        audit: { action: 'backup.restart', class: 'key', entityType: 'backup', after: { backupCreatedAt: pending.backupCreatedAt } },
      }));
      // After the answer has gone out, so the page hears that the restart is on its way.
      setTimeout(restart, 200);
      return { restarting: true };
    },
  };
}
