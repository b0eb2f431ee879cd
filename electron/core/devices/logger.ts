/** The slice of a pino logger that device code uses; the core passes its own, tests pass nothing. */
export interface DeviceLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: DeviceLogger = {
  debug() {},
  warn() {},
};
