import type { Database } from 'better-sqlite3';
import type { Station } from '#shared/api/contract';
import { windowUse } from './window-use';

interface StationRow {
  code: string;
  name: string;
  region_code: string;
  windows_json: string;
  idle_lock_minutes: number;
}

/** The single station settings record. */
export function stationQueries(db: Database) {
  const select = db.prepare<[], StationRow>('SELECT * FROM station WHERE id = 1');
  const upsert = db.prepare(
    `INSERT INTO station (id, code, name, region_code, windows_json, idle_lock_minutes)
     VALUES (1, @code, @name, @regionCode, @windowsJson, @idleLockMinutes)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, region_code = excluded.region_code,
       windows_json = excluded.windows_json, idle_lock_minutes = excluded.idle_lock_minutes, version = version + 1`,
  );
  return {
    windowUsers: windowUse(db),
    get(): Station | undefined {
      const row = select.get();
      return (
        row && {
          code: row.code,
          name: row.name,
          regionCode: row.region_code,
          windows: JSON.parse(row.windows_json) as number[],
          idleLockMinutes: row.idle_lock_minutes,
        }
      );
    },
    save(s: Station): void {
      upsert.run({
        code: s.code,
        name: s.name,
        regionCode: s.regionCode,
        windowsJson: JSON.stringify(s.windows),
        idleLockMinutes: s.idleLockMinutes,
      });
    },
  };
}
export type StationQueries = ReturnType<typeof stationQueries>;
