import { sql } from 'kysely';
import type { DayCloseDifference, DayCloseRequest, DayCloseResponse } from '#shared/sync/protocol';
import { consumeNonce, type AuthenticatedDevice } from '../auth/device-auth';
import { appendChanges, change } from '../changes/append';
import type { Store } from '../db/store';

type Totals = { count: number; amountFen: number };
const key = (operatorId: string, subItemCode: string) => `${operatorId}\u0000${subItemCode}`;

/**
 * A station's day close: its totals of the business date (cases accepted, per accepting operator and sub-item, with
 * their amounts) against what the central office has applied. Until the device's operations up to the frozen
 * sequence are applied the answer is `pending`; otherwise `matched`, or `mismatched` with every difference.
 */
export async function closeDay(
  store: Store,
  auth: AuthenticatedDevice,
  request: DayCloseRequest,
  now: () => Date,
  newId: () => string,
): Promise<DayCloseResponse> {
  return store.transaction(async (db) => {
    await consumeNonce(db, auth);
    const { last_seq: lastAppliedSeq } = await db
      .selectFrom('device')
      .select('last_seq')
      .where('id', '=', auth.device.id)
      .executeTakeFirstOrThrow();
    const at = now().toISOString();
    let response: DayCloseResponse;
    if (lastAppliedSeq < request.lastSeq) {
      response = {
        status: 'pending',
        lastAppliedSeq,
        differences: [],
        message: `中心尚未收到本机第${lastAppliedSeq + 1}至${request.lastSeq}号操作，请先完成上传再日结`,
      };
    } else {
      const rows = await db
        .selectFrom('case_file')
        .select(['accepted_operator', 'sub_item_code'])
        .select((eb) => [eb.fn.countAll<number>().as('n'), sql<number>`coalesce(sum(amount_fen), 0)`.as('fen')])
        .where('station_code', '=', auth.station.code)
        .where('business_date', '=', request.businessDate)
        .groupBy(['accepted_operator', 'sub_item_code'])
        .execute();
      const server = new Map<string, Totals & { operatorId: string; subItemCode: string }>(
        rows.map((r) => [
          key(r.accepted_operator, r.sub_item_code),
          { operatorId: r.accepted_operator, subItemCode: r.sub_item_code, count: Number(r.n), amountFen: Number(r.fen) },
        ]),
      );
      const station = new Map(request.totals.map((t) => [key(t.operatorId, t.subItemCode), t]));
      const differences: DayCloseDifference[] = [];
      for (const k of new Set([...server.keys(), ...station.keys()])) {
        const s = station.get(k);
        const c = server.get(k);
        const mine = { count: s?.count ?? 0, amountFen: s?.amountFen ?? 0 };
        const theirs = { count: c?.count ?? 0, amountFen: c?.amountFen ?? 0 };
        if (mine.count !== theirs.count || mine.amountFen !== theirs.amountFen) {
          differences.push({ operatorId: (s ?? c)!.operatorId, subItemCode: (s ?? c)!.subItemCode, station: mine, server: theirs });
        }
      }
      differences.sort((a, b) => a.operatorId.localeCompare(b.operatorId) || a.subItemCode.localeCompare(b.subItemCode));
      response =
        differences.length === 0
          ? { status: 'matched', lastAppliedSeq, differences, message: `${request.businessDate}日结与中心核对一致` }
          : {
              status: 'mismatched',
              lastAppliedSeq,
              differences,
              message: `${request.businessDate}日结与中心核对不一致：共${differences.length}项差异，请核查后再日结`,
            };
    }
    const id = newId();
    await db
      .insertInto('day_close')
      .values({
        id,
        station_code: auth.station.code,
        business_date: request.businessDate,
        device_id: auth.device.id,
        status: response.status,
        totals: JSON.stringify(request.totals),
        differences: JSON.stringify(response.differences),
        at,
      })
      .execute();
    // The other counters of the station learn that the day is closed centrally.
    if (response.status === 'matched') {
      const closed = { id, businessDate: request.businessDate, status: response.status, deviceId: auth.device.id, at };
      await appendChanges(db, store.backend, [change('station', auth.station.code, 'day_close', id, closed)], at);
    }
    return response;
  });
}
