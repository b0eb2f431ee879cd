import type { Session } from '#shared/api/contract';
import { ApiError } from '#shared/api/errors';
import type { SessionState } from '../api/handlers';
import { toOperator, type OperatorQueries } from './operators';

/** The session as the UI sees it: the operator's public fields, never the password hash. */
export function sessionView(operators: OperatorQueries, session: SessionState): Session {
  const row = operators.byId(session.operatorId);
  if (!row) throw new ApiError('UNAUTHENTICATED');
  return { operator: toOperator(row), windowNo: session.windowNo, locked: session.locked, startedAt: session.startedAt };
}
