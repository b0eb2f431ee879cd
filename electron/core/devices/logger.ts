import type { Logger } from '#shared/log/logger';

/** The slice of a pino logger that device code uses; the core passes its own, tests pass nothing. */
export interface DeviceLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: DeviceLogger = {
  debug() {},
  warn() {},
};

/** The core's logger as device code wants it (pino-style: fields first, then the message). */
export function toDeviceLogger(logger: Logger): DeviceLogger {
  return { debug: (obj, msg) => logger.debug(msg, { ...obj }), warn: (obj, msg) => logger.warn(msg, { ...obj }) };
}
