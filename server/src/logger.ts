import pino from 'pino';
import { redactPersonalNumbers } from '#shared/log/logger';

/** Structured JSON logs on stderr; anything shaped like an ID number is masked before a line is written. */
export function createLogger(level = 'info', destination: pino.DestinationStream = pino.destination(2)): pino.Logger {
  return pino({ level, base: { service: 'yichuang-central' }, hooks: { streamWrite: redactPersonalNumbers } }, destination);
}
