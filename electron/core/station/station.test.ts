import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../index';
import { rejection } from '../testing/api-error';
import { enrolDevice } from '../testing/hall-devices';
import { manualClock, startTestCore } from '../testing/fixture';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => t?.dispose());

async function setup() {
  // 2026-03-02 is a Monday, within every category's issuing hours.
  t = await startTestCore({ clock: manualClock(new Date('2026-03-02T09:00:00+08:00')) });
  return { admin: await t.loggedIn('admin', 1) };
}

/** The station commands this store audited and sent to the central office, in order. */
function stationHistory() {
  const db = new BetterSqlite3(join(t.dataDir, STORE_FILE), { readonly: true });
  const audit = db
    .prepare<[], { action: string; after_json: string }>(
      "SELECT action, after_json FROM audit_log WHERE action LIKE 'station.%' ORDER BY seq",
    )
    .all();
  const outbox = db.prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE type = 'station.updated' ORDER BY seq").all();
  db.close();
  return { actions: audit.map((a) => a.action), sent: outbox.map((o) => JSON.parse(o.payload) as unknown) };
}

describe('station settings', () => {
  it('renames, adds and removes a free window and sets the idle lock, each an audited command sent to the centre', async () => {
    const { admin } = await setup();
    await admin.call('station.rename', { name: '文新街道社保服务站' });
    await admin.call('station.addWindow', { windowNo: 5 });
    await admin.call('station.addWindow', { windowNo: 4 });
    expect((await admin.call('station.get', {})).windows).toEqual([1, 2, 3, 4, 5]);
    await admin.call('station.removeWindow', { windowNo: 5 });
    const last = await admin.call('station.setIdleLock', { idleLockMinutes: 15 });
    expect(last).toEqual({
      code: '330106001',
      name: '文新街道社保服务站',
      regionCode: '330106',
      windows: [1, 2, 3, 4],
      idleLockMinutes: 15,
    });
    expect(await admin.call('station.get', {})).toEqual(last);
    const history = stationHistory();
    expect(history.actions).toEqual([
      'station.rename',
      'station.window_add',
      'station.window_add',
      'station.window_remove',
      'station.idle_lock',
    ]);
    expect(history.sent.at(-1)).toEqual(last);
  });

  it('refuses to remove a window a ticket category, a hall device or a ticket still uses, and says which', async () => {
    const { admin } = await setup();
    const refused = await rejection(admin.call('station.removeWindow', { windowNo: 3 }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe(
      '3号窗口仍在使用，不能删除：号类“综合业务（A）”“领取结果（B）”“政策咨询（C）”“绿色通道（L）”（在“叫号设置”中改到其他窗口）',
    );
    // The full-record update keeps the same rule.
    const station = await admin.call('station.get', {});
    expect((await rejection(admin.call('station.update', { ...station, windows: [1, 2] }))).message).toMatch(/^3号窗口仍在使用/);

    await admin.call('station.addWindow', { windowNo: 4 });
    await enrolDevice(admin, 'evaluator', 4);
    expect((await rejection(admin.call('station.removeWindow', { windowNo: 4 }))).message).toBe(
      '4号窗口仍在使用，不能删除：大厅设备“评价器4”（评价器）（在“大厅设备”中停用）',
    );
    const [device] = (await admin.call('hall.devices', {})).filter((d) => d.windowNo === 4);
    await admin.call('hall.revokeDevice', { id: device!.id });

    // A walk-in served at window 4 holds it until the service ends.
    const settings = await admin.call('queue.settings', {});
    const withFour = (windows: number[]) => ({
      ...settings,
      categories: settings.categories.map((c) => (c.code === 'A' ? { ...c, windows } : c)),
    });
    await admin.call('queue.updateSettings', withFour([1, 2, 3, 4]));
    const teller = await t.loggedIn('teller', 4);
    const { current } = await teller.call('queue.walkIn', { categoryCode: 'A' });
    await admin.call('queue.updateSettings', withFour([1, 2, 3]));
    expect((await rejection(admin.call('station.removeWindow', { windowNo: 4 }))).message).toBe(
      '4号窗口仍在使用，不能删除：1个正在该窗口办理或转到该窗口的号码（办结后再删除）',
    );
    await teller.call('queue.end', { ticketId: current!.id, outcome: 'consulted' });
    expect((await admin.call('station.removeWindow', { windowNo: 4 })).windows).toEqual([1, 2, 3]);
    expect(stationHistory().actions.filter((a) => a === 'station.window_remove')).toHaveLength(1);
  });

  it('checks each change and is for administrators only', async () => {
    const { admin } = await setup();
    expect((await rejection(admin.call('station.addWindow', { windowNo: 2 }))).message).toBe('已有2号窗口');
    expect((await rejection(admin.call('station.addWindow', { windowNo: 100 }))).message).toBe('窗口号须为1至99');
    expect((await rejection(admin.call('station.removeWindow', { windowNo: 9 }))).code).toBe('NOT_FOUND');
    expect((await rejection(admin.call('station.setIdleLock', { idleLockMinutes: 0 }))).message).toBe('锁屏时间至少1分钟');
    expect((await rejection(admin.call('station.rename', { name: '站' }))).message).toBe('站点名称至少2个字');
    const teller = await t.loggedIn('teller', 2);
    expect((await rejection(teller.call('station.rename', { name: '改名站点' }))).code).toBe('FORBIDDEN');
    expect(stationHistory().actions).toEqual([]);
  });
});
