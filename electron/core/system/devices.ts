import type { Database } from 'better-sqlite3';
import type { DeviceStatus } from '#shared/api/contract';
import type { DeviceOverview, DeviceSettingsView } from '#shared/api/devices';
import type { ReaderTiming } from '../cards/card-readers';
import type { PrintingTiming } from '../printing/printing-service';

/** Which devices this counter uses. 'virtual' and 'simulated' are the demo and training devices. */
export type DeviceSettings = DeviceSettingsView;

/** Until an admin saves settings: the virtual printer on 80 mm paper and both simulated readers. */
export const DEMO_DEVICES: DeviceSettings = {
  printerUri: 'virtual',
  paperMm: 80,
  columns: 48,
  cut: true,
  socialSecurityReader: 'simulated',
  idCardReader: 'simulated',
};

/** Retry, poll and reconnect pauses; tests shorten them, the app uses the defaults. */
export interface DeviceTiming {
  printing?: PrintingTiming;
  readers?: ReaderTiming;
}

interface SettingsRow {
  printer_uri: string;
  paper_mm: 58 | 80;
  columns: 32 | 42 | 48;
  cut: 0 | 1;
  ss_reader: string;
  id_reader: string;
}

/** The counter's device settings in the store, or `defaults` until an admin saves some. */
export function deviceSettingsStore(db: Database, defaults: DeviceSettings) {
  const read = db.prepare<[], SettingsRow>('SELECT * FROM device_settings WHERE id = 1');
  const write = db.prepare(
    `INSERT INTO device_settings (id, printer_uri, paper_mm, columns, cut, ss_reader, id_reader, updated_at)
     VALUES (1, @printerUri, @paperMm, @columns, @cut, @socialSecurityReader, @idCardReader, @at)
     ON CONFLICT (id) DO UPDATE SET printer_uri = excluded.printer_uri, paper_mm = excluded.paper_mm, columns = excluded.columns,
       cut = excluded.cut, ss_reader = excluded.ss_reader, id_reader = excluded.id_reader, version = version + 1,
       updated_at = excluded.updated_at`,
  );
  return {
    get(): DeviceSettings {
      const row = read.get();
      if (!row) return defaults;
      return {
        printerUri: row.printer_uri,
        paperMm: row.paper_mm,
        columns: row.columns,
        cut: row.cut === 1,
        socialSecurityReader: row.ss_reader,
        idCardReader: row.id_reader,
      };
    },
    /** Inside a command. */
    save(settings: DeviceSettings, at: string): void {
      write.run({ ...settings, cut: settings.cut ? 1 : 0, at });
    },
  };
}
export type DeviceSettingsStore = ReturnType<typeof deviceSettingsStore>;

/** The live state as the system status reports it: one line per device. */
export function describeDevices(overview: DeviceOverview): DeviceStatus[] {
  const { printer } = overview;
  return [
    {
      kind: 'printer',
      name: printer.simulated ? '虚拟热敏打印机' : `热敏打印机 ${printer.uri}`,
      simulated: printer.simulated,
      state: printer.state === 'online' ? 'ready' : printer.state === 'paper_out' ? 'error' : 'offline',
      detail: printer.detail,
    },
    ...overview.readers
      .filter((r) => r.state !== 'none')
      .map((r): DeviceStatus => ({
        kind: 'card_reader',
        name: r.name,
        simulated: r.simulated,
        state: r.state === 'connected' ? 'ready' : 'offline',
        detail: r.detail,
      })),
  ];
}

/**
 * Whether a client sits at this PC (the Electron window, or a browser on this machine). Only those hear the
 * counter's card reads and print jobs: a page elsewhere on the hall's network is another counter's or the
 * hall's, and a citizen's card at this counter is none of its business.
 */
export function isLocalPeer(peer: { kind: string; label?: string }): boolean {
  if (peer.kind !== 'ws') return true;
  return peer.label === '127.0.0.1' || peer.label === '::1' || peer.label === '::ffff:127.0.0.1';
}
