import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../crypto';
import type { OperatorRow, StationRow } from '../db/schema';
import type { Store } from '../db/store';

/**
 * Sessions of the review page, kept in the database so any instance behind the load balancer can serve any request.
 * The cookie carries 32 random bytes; the table keeps only their hash, so a copy of the database opens no session.
 * A session ends after 30 minutes without a request, after 8 hours in any case, at logout, or as soon as its account
 * is disabled or moved to another role.
 */

export const SESSION_COOKIE = 'yc_review';
/** The login form's token (double-submit: the cookie and the form field must match). */
export const LOGIN_COOKIE = 'yc_review_login';
const IDLE_MS = 30 * 60_000;
const ABSOLUTE_MS = 8 * 3_600_000;
// Extending the idle deadline costs a write: done at most once a minute per session.
const TOUCH_MS = 60_000;

export const BACK_OFFICE_ROLES = ['reviewer', 'approver'] as const;
export type BackOfficeRole = (typeof BACK_OFFICE_ROLES)[number];

export interface ReviewSession {
  idHash: string;
  csrf: string;
  operator: OperatorRow & { role: BackOfficeRole };
  /** The central station the account belongs to: its region is what the operator works on. */
  station: StationRow;
}

export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Equal tokens, compared in constant time. */
export function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict, scoped to /review; Secure whenever the page was reached over HTTPS. */
export function setCookie(req: FastifyRequest, reply: FastifyReply, name: string, value: string, maxAgeSeconds: number): void {
  const secure = req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';
  const cookie = `${name}=${value}; Path=/review; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  // Fastify adds each set-cookie header to the ones already set.
  reply.header('set-cookie', cookie);
}

export async function createSession(store: Store, operator: OperatorRow, nowMs: number): Promise<{ token: string; maxAgeSeconds: number }> {
  const token = randomToken();
  await store.transaction(async (db) => {
    // Sign-ins are rare: a good moment to forget sessions that ended.
    await db.deleteFrom('review_session').where('expires_at', '<', nowMs).execute();
    await db
      .insertInto('review_session')
      .values({
        id_hash: sha256Hex(token),
        operator_id: operator.id,
        station_code: operator.station_code,
        csrf: randomToken(),
        created_at: nowMs,
        expires_at: nowMs + IDLE_MS,
      })
      .execute();
  });
  return { token, maxAgeSeconds: ABSOLUTE_MS / 1000 };
}

/** The request's live session, its idle deadline extended; null when there is none. */
export async function currentSession(store: Store, req: FastifyRequest, nowMs: number): Promise<ReviewSession | null> {
  const token = readCookie(req, SESSION_COOKIE);
  if (!token || token.length > 100) return null;
  const idHash = sha256Hex(token);
  const row = await store.reader
    .selectFrom('review_session')
    .innerJoin('operator', 'operator.id', 'review_session.operator_id')
    .innerJoin('station', 'station.code', 'operator.station_code')
    .selectAll('operator')
    .select([
      'review_session.csrf',
      'review_session.created_at as session_created_at',
      'review_session.expires_at',
      'station.name as station_name',
      'station.region_code',
      'station.kind',
      'station.settings',
      'station.created_at as station_created_at',
      'station.updated_at as station_updated_at',
    ])
    .where('review_session.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  const {
    csrf,
    session_created_at,
    expires_at,
    station_name,
    region_code,
    kind,
    settings,
    station_created_at,
    station_updated_at,
    ...operator
  } = row;
  const allowed = kind === 'central' && !operator.disabled && (BACK_OFFICE_ROLES as readonly string[]).includes(operator.role);
  if (!allowed || expires_at <= nowMs) {
    await endSession(store, idHash);
    return null;
  }
  const extended = Math.min(session_created_at + ABSOLUTE_MS, nowMs + IDLE_MS);
  if (extended - expires_at >= TOUCH_MS) {
    await store.db.updateTable('review_session').set({ expires_at: extended }).where('id_hash', '=', idHash).execute();
  }
  return {
    idHash,
    csrf,
    operator: operator as ReviewSession['operator'],
    station: {
      code: operator.station_code,
      name: station_name,
      region_code,
      kind,
      settings,
      created_at: station_created_at,
      updated_at: station_updated_at,
    },
  };
}

export async function endSession(store: Store, idHash: string): Promise<void> {
  await store.db.deleteFrom('review_session').where('id_hash', '=', idHash).execute();
}
