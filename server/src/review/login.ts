import { passwordVerifier, verifyPassword } from '../auth/password';
import type { OperatorRow } from '../db/schema';
import type { Store } from '../db/store';
import { BACK_OFFICE_ROLES, randomToken } from './session';

/**
 * Review-page login with an operator account the central office publishes (the same verifier the station's counters
 * check). Only reviewers and approvers of a central station may sign in. Failures are counted per account: after
 * five within 15 minutes, its logins are refused for 15 minutes whatever the password, so guessing is slow. (Not per
 * client address: behind the load balancer every client has the balancer's address.)
 */

const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;
const MAX_FAILURES = 5;

export type LoginResult = { ok: true; operator: OperatorRow } | { ok: false; reason: 'invalid' | 'locked' | 'role'; message: string };

const INVALID = '机构编码、用户名或密码不正确';

// Unknown accounts are checked against this too, so a wrong username takes as long as a wrong password.
let dummy: Promise<string> | undefined;
const dummyVerifier = () => (dummy ??= passwordVerifier(randomToken()));

const throttleKey = (stationCode: string, username: string) => `account:${stationCode}:${username.toLowerCase()}`;

export async function login(
  store: Store,
  input: { stationCode: string; username: string; password: string },
  nowMs: number,
): Promise<LoginResult> {
  const key = throttleKey(input.stationCode, input.username);
  const lock = await store.reader
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', '=', key)
    .where('locked_until', '>', nowMs)
    .executeTakeFirst();
  if (lock) {
    const minutes = Math.ceil((lock.locked_until - nowMs) / 60_000);
    return { ok: false, reason: 'locked', message: `登录失败次数过多，该账号已暂时锁定，请${minutes}分钟后再试` };
  }

  const operator = await store.reader
    .selectFrom('operator')
    .innerJoin('station', 'station.code', 'operator.station_code')
    .selectAll('operator')
    .where('operator.station_code', '=', input.stationCode)
    .where('operator.username', '=', input.username)
    .where('station.kind', '=', 'central')
    .executeTakeFirst();
  const verified = await verifyPassword(input.password, operator?.password_verifier ?? (await dummyVerifier()));
  if (!operator || !verified || operator.disabled) {
    await recordFailure(store, key, nowMs);
    return { ok: false, reason: 'invalid', message: INVALID };
  }
  if (!(BACK_OFFICE_ROLES as readonly string[]).includes(operator.role)) {
    return { ok: false, reason: 'role', message: '复核审批页面只供中心的复核员和审批人使用' };
  }
  await store.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  return { ok: true, operator };
}

async function recordFailure(store: Store, key: string, nowMs: number): Promise<void> {
  await store.transaction(async (db) => {
    const row = await store.forUpdate(db.selectFrom('login_throttle').selectAll().where('key', '=', key)).executeTakeFirst();
    const fresh = !row || row.window_start + WINDOW_MS <= nowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const locked = failures >= MAX_FAILURES;
    const next = {
      key,
      failures: locked ? 0 : failures,
      window_start: fresh ? nowMs : row.window_start,
      locked_until: locked ? nowMs + LOCK_MS : 0,
    };
    // Two failures racing to create the row: the loser's insert fails on the key and its transaction runs again.
    if (row) await db.updateTable('login_throttle').set(next).where('key', '=', key).execute();
    else await db.insertInto('login_throttle').values(next).execute();
  });
}
