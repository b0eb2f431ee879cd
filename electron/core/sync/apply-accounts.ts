import type { Database } from 'better-sqlite3';
import type { Logger } from '#shared/log/logger';
import type { StationChange } from '#shared/sync/changes';
import type { OperatorAccount } from '#shared/sync/reference';
import type { StationQueries } from '../station/station';
import type { PendingOps } from './pending-ops';

/**
 * Operator accounts from the reference stream. The central office is the authority for accounts: a disabled account
 * can no longer log in here after the next sync, and login keeps working offline with the last verifiers received.
 * A local account holding the username of a central one under another id (a demo or locally created account the
 * central office never took) is superseded: disabled and renamed, so its history keeps its id.
 */
export function operatorApplier(db: Database, logger: Logger) {
  const byUsername = db.prepare<[string], { id: string }>('SELECT id FROM operator WHERE username = ?');
  const supersede = db.prepare<[string, string]>('UPDATE operator SET username = ?, disabled = 1, version = version + 1 WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO operator (id, username, display_name, role, password_hash, disabled, created_at)
     VALUES (@id, @username, @display_name, @role, @password_hash, @disabled, @at)
     ON CONFLICT (id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name, role = excluded.role,
       password_hash = excluded.password_hash, disabled = excluded.disabled, version = version + 1`,
  );

  return (account: OperatorAccount, at: string): void => {
    const holder = byUsername.get(account.username);
    if (holder && holder.id !== account.id) {
      logger.warn('local account superseded by the central account of the same username', { username: account.username, id: holder.id });
      supersede.run(`${account.username}~${holder.id}`, holder.id);
    }
    upsert.run({
      id: account.id,
      username: account.username,
      display_name: account.displayName,
      role: account.role,
      password_hash: account.passwordVerifier,
      disabled: account.disabled ? 1 : 0,
      at,
    });
  };
}

/**
 * The station as the central office registered it: its code and region are the central office's (they decide what
 * this PC sees); its name, windows and idle lock are what its counters last sent, unless this PC's own change of
 * them is still unsent.
 */
export function stationApplier(station: StationQueries, pending: PendingOps) {
  return (s: StationChange): void => {
    const local = station.get();
    const own = pending('station.updated', 'station.updated', 'code', s.code).length > 0;
    const settings = own || !s.settings ? local : s.settings;
    station.save({
      code: s.code,
      regionCode: s.regionCode,
      name: settings?.name ?? s.name,
      windows: settings?.windows ?? [1],
      idleLockMinutes: settings?.idleLockMinutes ?? 5,
    });
  };
}
