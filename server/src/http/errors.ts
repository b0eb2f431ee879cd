import type { z } from 'zod';
import { SYNC_ERROR_CODES, type ErrorBody, type SyncErrorCode } from '#shared/sync/protocol';

export type ErrorDetails = Omit<ErrorBody['error'], 'code' | 'message'>;

/** A refused request: its machine code decides the HTTP status; the message is for the operator, in Chinese. */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    readonly details: ErrorDetails = {},
    message?: string,
  ) {
    super(message ?? SYNC_ERROR_CODES[code].message);
    this.name = 'SyncError';
  }

  get status(): number {
    return SYNC_ERROR_CODES[this.code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

/** Parses a request body that must be JSON: anything else is MALFORMED_BODY. */
export function parseJsonBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new SyncError('MALFORMED_BODY');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SyncError('MALFORMED_BODY');
  }
}

/** Checks a parsed body against its schema; the issues go back with INVALID_REQUEST. */
export function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new SyncError(
    'INVALID_REQUEST',
    { issues },
    issues[0] ? `请求内容不符合同步协议：${issues[0].path} ${issues[0].message}` : undefined,
  );
}
