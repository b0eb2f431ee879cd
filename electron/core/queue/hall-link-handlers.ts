import type { Database } from 'better-sqlite3';
import type { Handlers } from '../api/handlers';
import type { Clock } from '../platform/deps';
import type { CommandRunner } from '../store/command';
import type { HallLink, HallLinkConfig } from './hall-link';

export interface HallLinkHandlerDeps {
  db: Database;
  commands: CommandRunner;
  clock: Clock;
  link: HallLink;
}

/** Where this PC's hall host is: saved in the store, so a restarted counter reconnects by itself. */
export function hallLinkSettings(db: Database) {
  const get = db.prepare<[], { url: string; device_key: string }>('SELECT url, device_key FROM hall_link WHERE id = 1');
  const save = db.prepare(
    `INSERT INTO hall_link (id, url, device_key, updated_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET url = excluded.url, device_key = excluded.device_key, updated_at = excluded.updated_at`,
  );
  const clear = db.prepare('DELETE FROM hall_link');
  return {
    get(): HallLinkConfig | null {
      const row = get.get();
      return row ? { url: row.url, key: row.device_key } : null;
    },
    set(config: HallLinkConfig | null, at: string): void {
      if (config) save.run(config.url, config.key, at);
      else clear.run();
    },
  };
}

export function hallLinkHandlers(deps: HallLinkHandlerDeps): Pick<Handlers, 'hall.link' | 'hall.setLink'> {
  const settings = hallLinkSettings(deps.db);
  return {
    'hall.link': () => deps.link.status(),
    'hall.setLink'(params, ctx) {
      const config = params.url === null ? null : { url: params.url.replace(/\/$/, ''), key: params.key };
      deps.commands.run(ctx.actor, () => {
        const at = deps.clock.now().toISOString();
        settings.set(config, at);
        return {
          result: null,
          // The device key is a local secret: neither the audit log nor the outbox carries it.
          audit: { action: 'hall.link_set', class: 'key', entityType: 'hall_link', entityId: '1', after: { url: config?.url ?? null } },
          outbox: { type: 'hall.link_set', payload: { url: config?.url ?? null, at } },
        };
      });
      deps.link.configure(config);
      return deps.link.status();
    },
  };
}
