import pino from 'pino';
import { redactPersonalNumbers, type Logger } from '#shared/log/logger';

/** pino-backed logger; personal numbers are masked in every line before it is written. */
export function createPinoLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const base = pino(
    {
      level: options.level ?? 'info',
      hooks: {
        streamWrite: redactPersonalNumbers,
      },
    },
    options.destination ?? pino.destination(2),
  );
  const wrap = (p: pino.Logger): Logger => ({
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (subsystem) => wrap(p.child({ subsystem })),
  });
  return wrap(base);
}

/** A logger that keeps lines in memory, for tests that assert what was logged. */
export function createMemoryLogger(
  lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [],
): Logger & { lines: typeof lines } {
  const make = (subsystem?: string): Logger => {
    const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
      lines.push({ level, msg: subsystem ? `[${subsystem}] ${msg}` : msg, fields });
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (s) => make(s) };
  };
  return Object.assign(make(), { lines });
}
