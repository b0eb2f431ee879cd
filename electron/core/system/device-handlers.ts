import type { DeviceOverview } from '#shared/api/devices';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import { parseReaderSetting } from '../cards/card-readers';
import { isDeviceError, parsePrinterUri } from '../devices/index';
import type { Clock } from '../platform/deps';
import type { CommandRunner } from '../store/command';
import type { DeviceSettings, DeviceSettingsStore } from './devices';

/** Refuses an address the drivers would refuse, with their Chinese reason on the field. */
function checkAddresses(settings: DeviceSettings): void {
  const checks: [keyof DeviceSettings, () => unknown][] = [
    ['printerUri', () => parsePrinterUri(settings.printerUri)],
    ['socialSecurityReader', () => parseReaderSetting(settings.socialSecurityReader)],
    ['idCardReader', () => parseReaderSetting(settings.idCardReader)],
  ];
  for (const [path, check] of checks) {
    try {
      check();
    } catch (error) {
      if (!isDeviceError(error)) throw error;
      throw new ApiError('VALIDATION', error.message, { issues: [{ path, message: error.message }] });
    }
  }
}

export function deviceHandlers(deps: {
  settings: DeviceSettingsStore;
  commands: CommandRunner;
  clock: Clock;
  overview: () => DeviceOverview;
  /** Reopens the printer and readers under the saved settings. */
  apply: (settings: DeviceSettings) => Promise<void>;
}): Pick<Handlers, 'devices.overview' | 'devices.settings' | 'devices.saveSettings'> {
  return {
    'devices.overview': () => deps.overview(),
    'devices.settings': () => deps.settings.get(),
    async 'devices.saveSettings'(next, { actor }) {
      checkAddresses(next);
      deps.commands.run(actor, () => {
        const before = deps.settings.get();
        deps.settings.save(next, deps.clock.now().toISOString());
        return {
          result: null,
          audit: { action: 'devices.settings', class: 'key', entityType: 'device_settings', before, after: next },
          outbox: { type: 'device.settings_updated', payload: next },
        };
      });
      await deps.apply(next);
      return next;
    },
  };
}
