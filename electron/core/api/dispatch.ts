import type { z } from 'zod';
import { api, isMethodName, type Access, type MethodName } from '#shared/api/contract';
import { ApiError, type Envelope, type FieldIssue } from '#shared/api/errors';
import type { Logger } from '#shared/log/logger';
import type { Clock } from '../platform/deps';
import type { CallContext, Connection, Handlers } from './handlers';

export interface DispatchDeps {
  handlers: Handlers;
  clock: Clock;
  logger: Logger;
  /** Current idle-lock time; read per call so a settings change applies at once. */
  idleLockMs: () => number;
  /** Is the session's operator still allowed in (exists, not disabled)? */
  operatorRole: (operatorId: string) => string | null;
  /** Tells the connection its session just locked itself. */
  onIdleLock: (connection: Connection) => void;
  /** A last check of an authorized, valid call before its handler runs (the day close's freeze); throws to refuse. */
  beforeCall?: (method: MethodName, params: unknown) => void;
}

/** Methods a locked session may still call: everything else needs the password again. */
const ALLOWED_WHILE_LOCKED = new Set(['auth.unlock', 'auth.logout', 'auth.session']);

function toIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** A VALIDATION error carrying every issue of a failed parse, the first one as its message. */
export function invalidParams(error: z.ZodError): ApiError {
  return new ApiError('VALIDATION', error.issues[0]?.message, { issues: toIssues(error) });
}

/**
 * The single entry point of the core. Whatever the transport, a call is looked up in the
 * contract, its params validated, its access checked against the connection's session,
 * its result validated (so nothing outside the schema leaks), and any unexpected
 * exception logged and turned into INTERNAL.
 */
export function createDispatcher(deps: DispatchDeps) {
  const log = deps.logger.child('dispatch');

  function authorize(access: Access, method: string, connection: Connection): void {
    if (access === 'public') return;
    const session = connection.session;
    if (!session) throw new ApiError('UNAUTHENTICATED');
    const role = deps.operatorRole(session.operatorId);
    if (role === null) {
      connection.session = null;
      connection.emit({ type: 'session.changed', session: null });
      throw new ApiError('UNAUTHENTICATED', '账号已停用或不存在，请联系管理员');
    }
    const now = deps.clock.now().getTime();
    if (!session.locked && now - session.lastActivity >= deps.idleLockMs()) {
      session.locked = true;
      log.info('session locked after idle', { operatorId: session.operatorId });
      deps.onIdleLock(connection);
    }
    if (session.locked && !ALLOWED_WHILE_LOCKED.has(method)) {
      throw new ApiError('UNAUTHENTICATED', '屏幕已锁定，请输入密码解锁', { reason: 'locked' });
    }
    if (access !== 'session' && !(access as readonly string[]).includes(role)) throw new ApiError('FORBIDDEN');
    session.lastActivity = now;
  }

  return async function dispatch(connection: Connection, method: string, params: unknown): Promise<Envelope> {
    try {
      if (!isMethodName(method)) throw new ApiError('NOT_FOUND', `未知的接口：${method}`);
      const def = api[method];
      authorize(def.access, method, connection);
      const parsed = def.params.safeParse(params ?? {});
      if (!parsed.success) throw invalidParams(parsed.error);
      deps.beforeCall?.(method, parsed.data);
      const ctx: CallContext = {
        connection,
        actor: { operatorId: connection.session?.operatorId ?? null, windowNo: connection.session?.windowNo ?? null },
      };
      const handler = deps.handlers[method] as (p: unknown, c: CallContext) => unknown;
      const value: unknown = await handler(parsed.data, ctx);
      return { ok: true, value: def.result.parse(value) };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.toData() };
      log.error('unexpected error', { method, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) });
      return { ok: false, error: new ApiError('INTERNAL').toData() };
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;
