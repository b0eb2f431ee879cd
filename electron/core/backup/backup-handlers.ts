import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { CommandRunner } from '../store/command';
import type { BackupService } from './backup-service';

export function backupHandlers(deps: {
  backups: BackupService;
  commands: CommandRunner;
}): Pick<Handlers, 'backup.status' | 'backup.updateSettings' | 'backup.run' | 'backup.exportKey'> {
  const { backups } = deps;
  let running = false;
  return {
    'backup.status': () => ({
      settings: backups.settings(),
      history: backups.history(),
      overdue: backups.overdue(),
      keyFingerprint: backups.keyFingerprint(),
      running,
    }),
    'backup.updateSettings': (settings, { actor }) => backups.updateSettings(actor, settings),
    async 'backup.run'(_params, { actor, connection }) {
      if (!backups.settings().dir) throw new ApiError('VALIDATION', '请先设置备份目录（第二块硬盘或U盘）');
      running = true;
      try {
        return await backups.run(actor, (done, total) => connection.emit({ type: 'backup.progress', done, total }));
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
  };
}
