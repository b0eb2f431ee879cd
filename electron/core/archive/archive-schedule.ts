import type { Database } from 'better-sqlite3';
import type { Logger } from '#shared/log/logger';
import { readMeta, writeMeta } from '../backup/meta';
import type { Clock } from '../platform/deps';
import type { Actor, CommandRunner } from '../store/command';
import { realTimers, type SyncTimers } from '../sync/sync-engine';
import type { ArchiveStore } from './archive-store';

export const AUTO_SEAL_CHECK_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** In the store's meta table, so it travels with the store and its backups. */
const SETTING = 'archive.autoSeal';

/** The schedule seals as the system: no operator, no window. */
export const SYSTEM: Actor = { operatorId: null, windowNo: null };

/**
 * 自动封存: when the administrator turns it on, every filed volume still unsealed N days after its filing (refiling
 * restarts the count) is sealed by the system, checked at start and every hour. Each volume is sealed by the same
 * command as a manual seal (audited as the system, one outbox operation each); one that fails is logged and tried
 * again at the next check, the others go on.
 */
export function autoSealSchedule(deps: {
  db: Database;
  commands: CommandRunner;
  clock: Clock;
  logger: Logger;
  timers?: SyncTimers | undefined;
  volumes: ArchiveStore;
  /** The seal command, run as the system with the setting that sealed it. */
  seal: (actor: Actor, caseId: string, schedule: { afterDays: number }) => unknown;
}) {
  const { db, clock, logger } = deps;
  const timers = deps.timers ?? realTimers;
  let timer: unknown = null;
  let nextAt: Date | null = null;

  const afterDays = (): number | null => readMeta<{ afterDays: number | null }>(db, SETTING, { afterDays: null }).afterDays;

  /** Seals what is due now; returns how many volumes it sealed. */
  function check(): number {
    const days = afterDays();
    if (days === null) return 0;
    const cutoff = new Date(clock.now().getTime() - days * DAY_MS).toISOString();
    let sealed = 0;
    for (const caseId of deps.volumes.unsealedFiledBy(cutoff)) {
      try {
        deps.seal(SYSTEM, caseId, { afterDays: days });
        sealed++;
      } catch (err) {
        logger.error('auto-seal failed', { caseId, err: err instanceof Error ? err.message : String(err) });
      }
    }
    if (sealed > 0) logger.info('volumes sealed on schedule', { sealed, afterDays: days });
    return sealed;
  }

  function run(): void {
    try {
      check();
    } catch (err) {
      logger.error('auto-seal check failed', { err: err instanceof Error ? err.message : String(err) });
    }
    nextAt = new Date(clock.now().getTime() + AUTO_SEAL_CHECK_MS);
    timer = timers.setTimeout(run, AUTO_SEAL_CHECK_MS);
  }

  return {
    /** Checks once now, then every hour. */
    start: run,
    stop(): void {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      nextAt = null;
    },
    afterDays,
    /** When the next check runs, while sealing on schedule is on. */
    nextCheckAt: (): string | null => (afterDays() === null || !nextAt ? null : nextAt.toISOString()),
    /** An audited command of this station's own: the central office learns of each seal, not of the setting. */
    update(actor: Actor, next: number | null): void {
      deps.commands.run(actor, (tx) => {
        const before = afterDays();
        writeMeta(tx, SETTING, { afterDays: next });
        return {
          result: null,
          audit: {
            action: 'archive.auto_seal',
            class: 'key',
            entityType: 'archive',
            before: { afterDays: before },
            after: { afterDays: next },
          },
        };
      });
    },
  };
}
export type AutoSealSchedule = ReturnType<typeof autoSealSchedule>;
