import type { Database } from 'better-sqlite3';
import type { Session } from '#shared/api/contract';
import { ApiError } from '#shared/api/errors';
import type { Connection, Handlers, SessionState } from '../api/handlers';
import type { CoreDeps } from '../platform/deps';
import type { CommandRunner } from '../store/command';
import type { StationQueries } from '../station/station';
import { toOperator, type OperatorQueries } from './operators';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { sessionView } from './session-view';

export interface AuthDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  operators: OperatorQueries;
  station: StationQueries;
}

const WRONG_CREDENTIALS = '用户名或密码错误';

/** Login, logout, lock and unlock, and the operator accounts an admin manages. */
export function authHandlers(
  deps: AuthDeps,
): Pick<Handlers, 'auth.login' | 'auth.session' | 'auth.logout' | 'auth.lock' | 'auth.unlock' | 'accounts.list' | 'accounts.create'> {
  const { commands, operators } = deps;

  const view = (session: SessionState) => sessionView(operators, session);

  function publish(connection: Connection): Session | null {
    const session = connection.session && view(connection.session);
    connection.emit({ type: 'session.changed', session });
    return session;
  }

  function requireSession(connection: Connection): SessionState {
    if (!connection.session) throw new ApiError('UNAUTHENTICATED');
    return connection.session;
  }

  return {
    async 'auth.login'({ username, password, windowNo }, { connection }) {
      const row = operators.byUsername(username);
      // Verify even for an unknown user so timing does not reveal which usernames exist.
      const valid = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
      const station = deps.station.get();
      if (!row || !valid || row.disabled) {
        commands.run({ operatorId: row?.id ?? null, windowNo }, () => ({
          result: null,
          audit: { action: 'auth.login_failed', class: 'key', entityType: 'operator', entityId: row?.id, after: { username, windowNo } },
          outbox: { type: 'audit.login_failed', payload: { username, windowNo } },
        }));
        throw new ApiError('UNAUTHENTICATED', row?.disabled && valid ? '该账号已停用，请联系管理员' : WRONG_CREDENTIALS);
      }
      if (!station?.windows.includes(windowNo)) throw new ApiError('VALIDATION', `本站没有${windowNo}号窗口`);
      const now = deps.clock.now();
      commands.run({ operatorId: row.id, windowNo }, () => ({
        result: null,
        audit: { action: 'auth.login', class: 'general', entityType: 'operator', entityId: row.id, after: { windowNo } },
        outbox: { type: 'operator.login', payload: { operatorId: row.id, windowNo } },
      }));
      connection.session = { operatorId: row.id, windowNo, startedAt: now.toISOString(), locked: false, lastActivity: now.getTime() };
      return publish(connection)!;
    },

    'auth.session'(_params, { connection }) {
      return connection.session ? view(connection.session) : null;
    },

    'auth.logout'(_params, { connection, actor }) {
      const session = requireSession(connection);
      commands.run(actor, () => ({
        result: null,
        audit: { action: 'auth.logout', class: 'general', entityType: 'operator', entityId: session.operatorId },
        outbox: { type: 'operator.logout', payload: { operatorId: session.operatorId } },
      }));
      connection.session = null;
      publish(connection);
      return { ok: true as const };
    },

    'auth.lock'(_params, { connection }) {
      requireSession(connection).locked = true;
      return publish(connection)!;
    },

    async 'auth.unlock'({ password }, { connection, actor }) {
      const session = requireSession(connection);
      const row = operators.byId(session.operatorId);
      if (!row || !(await verifyPassword(password, row.password_hash))) {
        commands.run(actor, () => ({
          result: null,
          audit: { action: 'auth.unlock_failed', class: 'key', entityType: 'operator', entityId: session.operatorId },
          outbox: { type: 'audit.unlock_failed', payload: { operatorId: session.operatorId } },
        }));
        throw new ApiError('UNAUTHENTICATED', '密码错误，请重新输入', { reason: 'locked' });
      }
      session.locked = false;
      session.lastActivity = deps.clock.now().getTime();
      return publish(connection)!;
    },

    'accounts.list'() {
      return operators.all().map(toOperator);
    },

    async 'accounts.create'({ username, displayName, role, password }, { actor }) {
      if (operators.byUsername(username)) throw new ApiError('CONFLICT', `用户名 ${username} 已存在`);
      const passwordHash = await hashPassword(password);
      return commands.run(actor, () => {
        const id = deps.newId();
        // Re-checked inside the transaction: the hash above yielded the event loop.
        if (operators.byUsername(username)) throw new ApiError('CONFLICT', `用户名 ${username} 已存在`);
        operators.insert({
          id,
          username,
          display_name: displayName,
          role,
          password_hash: passwordHash,
          disabled: 0,
          created_at: deps.clock.now().toISOString(),
        });
        const operator = toOperator(operators.byId(id)!);
        return {
          result: operator,
          audit: { action: 'accounts.create', class: 'key', entityType: 'operator', entityId: id, after: operator },
          outbox: { type: 'operator.created', payload: { ...operator, passwordVerifier: passwordHash } },
        };
      });
    },
  };
}
