import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '#core/testing/api-error';
import { CENTRAL_URL, centralOffice, stationCore, type CentralOffice, type StationCore } from './harness';

/** A PC just installed: no station, no account. It is enrolled from its own login page, without a session. */
describe('the first start of a PC', () => {
  let central: CentralOffice;
  let station: StationCore;

  beforeEach(async () => {
    central = await centralOffice();
    station = await stationCore(central.send, { fresh: true });
  });
  afterEach(async () => {
    station.dispose();
    await central.close();
  });

  it('asks for enrolment, enrols from this PC, brings the accounts, and then only signing in opens anything', async () => {
    const anyone = station.client();
    expect(await anyone.call('sync.setup', {})).toEqual({ needsEnrolment: true });
    await expect(anyone.call('auth.login', { username: 'zhou_teller', password: 'zhou-teller-1', windowNo: 1 })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const status = await anyone.call('sync.bootstrap', { centralUrl: CENTRAL_URL, code: await central.enrolmentCode() });
    expect(status).toMatchObject({ state: 'online', stationCode: central.stationCode, pendingOps: 0 });
    expect(await anyone.call('station.get', {})).toMatchObject({ code: central.stationCode, name: '文新街道社保服务站' });
    expect(await anyone.call('sync.setup', {})).toEqual({ needsEnrolment: false });
    // The central accounts arrived with the first round.
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    expect((await teller.call('auth.session', {}))?.operator.username).toBe('zhou_teller');

    // Once enrolled (or once anyone has an account), the door without a session is shut.
    const again = await rejection(anyone.call('sync.bootstrap', { centralUrl: CENTRAL_URL, code: await central.enrolmentCode() }));
    expect(again).toMatchObject({ code: 'FORBIDDEN' });
    const admin = await station.login('sun_admin', 'sun-admin-1');
    const { entries } = await admin.call('audit.list', { action: 'sync.enrol' });
    expect(entries).toHaveLength(1);
  });

  it('refuses the first enrolment from another machine on the LAN', async () => {
    const remote = station.client('ws', '192.168.1.23');
    const e = await rejection(remote.call('sync.bootstrap', { centralUrl: CENTRAL_URL, code: await central.enrolmentCode() }));
    expect(e).toMatchObject({ code: 'FORBIDDEN', message: '首次注册只能在本机上进行' });
  });
});
