import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { Change, OpEnvelope, PullResponse } from '#shared/sync/protocol';
import { putOperator } from '../reference/publish';
import { Browser, formField as field } from '../testing/browser';
import { BACKENDS, outbox, personCreated, type Central, type Device } from '../testing/central';
import { centralSuite } from '../testing/suite';

type Station = Awaited<ReturnType<Central['station']>>;

const PASSWORD = 'wu-pass-1';

const at = '2026-03-02T09:00:00.000Z';

describe.each(BACKENDS)('review page on %s', (backend) => {
  const suite = centralSuite(backend);

  const push = async (device: Device, ops: OpEnvelope[]) => {
    const res = await suite.central.client.push(device, ops);
    if (!res.ok) throw new Error(JSON.stringify(res.body));
    return res.body;
  };
  const pull = async (device: Device, station = 0) => {
    const res = await suite.central.client.pull(device, { station, limit: 1000 });
    if (!res.ok) throw new Error(JSON.stringify(res.body));
    return res.body as PullResponse;
  };

  /** A station of 330106 and the back office of 330100 with a reviewer account that has a real password. */
  async function setUp() {
    const s = await suite.central.station({ region: '330106' });
    const office = await suite.central.station({ region: '330100', kind: 'central' });
    const account = { stationCode: office.code, username: 'wu_fuhe', displayName: '吴复核', role: 'reviewer' as const };
    const wu = await putOperator(suite.db.store, { ...account, password: PASSWORD }, new Date(), uuidv7);
    const becomeApprover = () => putOperator(suite.db.store, { ...account, role: 'approver' }, new Date(), uuidv7);
    return { s, office, wu, becomeApprover };
  }

  /** A case accepted at the station's window and sent to the back office. */
  async function accept(s: Station, sub: { code: string; form: Record<string, unknown>; materials?: { code: string; name: string }[] }) {
    const caseId = uuidv7();
    const op = outbox();
    const res = await push(s.device, [
      op(
        'case.accepted',
        {
          id: caseId,
          caseNo: `${s.code}-20260302-0001`,
          subItemCode: sub.code,
          personId: null,
          employerId: null,
          form: sub.form,
          materials: (sub.materials ?? [{ code: 'ID', name: '居民身份证' }]).map((m) => ({ ...m, status: 'received' as const })),
          steps: ['accept', 'submit_for_review'],
          at,
        },
        { operatorId: s.operators.teller },
      ),
    ]);
    expect(res.results[0]).toMatchObject({ outcome: 'applied' });
    return { caseId, op };
  }

  const caseRow = (id: string) => suite.db.store.db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const pageOps = (office: Station) =>
    suite.db.store.db.selectFrom('op_log').selectAll().where('device_id', '=', `review:${office.code}`).orderBy('seq').execute();

  it('refuses wrong passwords, accounts that are not back office, and locks an account after five failures', async () => {
    const { s, office } = await setUp();
    const browser = new Browser(suite.central.app);
    const wrong = await browser.login(office.code, 'wu_fuhe', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('机构编码、用户名或密码不正确');
    expect(wrong.headers['set-cookie']?.toString()).not.toContain('yc_review=');
    // A station's own reviewer is not a back-office account, whatever its password.
    expect((await browser.login(s.code, `reviewer_${s.code}`, PASSWORD)).statusCode).toBe(401);
    await putOperator(
      suite.db.store,
      { stationCode: office.code, username: 'zhou_gy', displayName: '周柜员', role: 'teller', password: PASSWORD },
      new Date(),
      uuidv7,
    );
    const teller = await browser.login(office.code, 'zhou_gy', PASSWORD);
    expect(teller.statusCode).toBe(403);
    expect(teller.body).toContain('只供中心的复核员和审批人使用');

    for (let i = 2; i <= 5; i += 1) expect((await browser.login(office.code, 'wu_fuhe', `wrong-${i}`)).statusCode).toBe(401);
    const locked = await browser.login(office.code, 'wu_fuhe', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('该账号已暂时锁定');
    expect((await browser.get('/review/')).statusCode).toBe(303);
  });

  it('refuses a POST without the session token, and a login without the login form token', async () => {
    const { s, office } = await setUp();
    const { caseId } = await accept(s, { code: 'D1', form: { name: '王小明' } });
    const browser = new Browser(suite.central.app);
    expect((await browser.login(office.code, 'wu_fuhe', PASSWORD)).statusCode).toBe(303);
    const page = await browser.get(`/review/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    const decision = { opId: field(page.body, 'opId'), action: 'pass_review', reason: '' };
    const tokens: Record<string, string>[] = [{}, { _csrf: 'x'.repeat(43) }];
    for (const token of tokens) {
      const res = await browser.post(`/review/cases/${caseId}`, { ...decision, ...token });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('页面已过期或来源不明');
    }
    expect((await caseRow(caseId)).status).toBe('pending_review');
    expect(await pageOps(office)).toHaveLength(0);
    expect((await browser.post('/review/logout', {})).statusCode).toBe(403);
    expect((await browser.get('/review/')).statusCode).toBe(200);

    const stranger = new Browser(suite.central.app);
    const noToken = await stranger.post('/review/login', {
      station: office.code,
      username: 'wu_fuhe',
      password: PASSWORD,
      _csrf: 'forged',
    });
    expect(noToken.statusCode).toBe(403);
    expect((await stranger.get('/review/')).statusCode).toBe(303);
  });

  it('decides a case through the state machine: the decision reaches the station stream exactly once', async () => {
    const { s, office, wu } = await setUp();
    const { caseId, op } = await accept(s, { code: 'D1', form: { name: '王小明', idNumber: '330106198507120011' } });
    const before = await pull(s.device);
    const cursor = before.streams.station.cursor;

    const browser = new Browser(suite.central.app);
    expect((await browser.login(office.code, 'wu_fuhe', PASSWORD)).statusCode).toBe(303);
    const queue = await browser.get('/review/');
    expect(queue.body).toContain(`/review/cases/${caseId}`);
    expect(queue.body).toContain('待我处理');
    const page = await browser.get(`/review/cases/${caseId}`);
    // The person is masked on the page.
    expect(page.body).toContain('王**');
    expect(page.body).toContain('3301**********0011');
    expect(page.body).not.toContain('330106198507120011');
    const form = { _csrf: field(page.body, '_csrf'), opId: field(page.body, 'opId'), action: 'pass_review', reason: '' };
    const decided = await browser.post(`/review/cases/${caseId}`, form);
    expect(decided.statusCode).toBe(303);
    expect(decided.headers.location).toBe(`/review/cases/${caseId}?done=pass_review`);
    // The same form submitted again (a double click, a resend) applies nothing more.
    const again = await browser.post(`/review/cases/${caseId}`, form);
    expect(again.headers.location).toBe(`/review/cases/${caseId}?done=repeated`);

    const down = (await pull(s.device, cursor)).streams.station.changes.filter((c: Change) => c.id === caseId);
    expect(down).toHaveLength(1);
    expect(JSON.parse(down[0]!.data)).toMatchObject({
      status: 'ready_for_pickup',
      reviewedBy: [wu.id],
      transition: {
        fromStatus: 'pending_review',
        operatorId: wu.id,
        windowNo: null,
        steps: [
          { action: 'pass_review', toStatus: 'approved' },
          { action: 'mark_ready', toStatus: 'ready_for_pickup' },
        ],
      },
    });
    const recorded = await pageOps(office);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ seq: 1, type: 'case.intent', operator_id: wu.id, outcome: 'applied', station_code: office.code });

    // The window that hands out the result can now deliver it.
    const handed = await push(s.device, [
      op(
        'case.intent',
        {
          caseId,
          caseNo: `${s.code}-20260302-0001`,
          action: 'deliver',
          reason: null,
          fromStatus: 'ready_for_pickup',
          steps: ['deliver'],
          at,
        },
        { operatorId: s.operators.teller },
      ),
    ]);
    expect(handed.results[0]).toMatchObject({ outcome: 'applied' });
  });

  it('checks separation of duties: whoever reviewed a case may not approve it', async () => {
    const { s, office, becomeApprover } = await setUp();
    const { caseId } = await accept(s, {
      code: 'G4',
      form: { name: '李四', idNumber: '330106196001010019', mode: 'monthly', missingMonths: 12 },
    });
    const browser = new Browser(suite.central.app);
    await browser.login(office.code, 'wu_fuhe', PASSWORD);
    let page = await browser.get(`/review/cases/${caseId}`);
    const review = await browser.post(`/review/cases/${caseId}`, {
      _csrf: field(page.body, '_csrf'),
      opId: field(page.body, 'opId'),
      action: 'pass_review',
    });
    expect(review.statusCode).toBe(303);
    expect((await caseRow(caseId)).status).toBe('pending_approval');

    // The central office makes the reviewer an approver: the page offers no decision and the server refuses one.
    await becomeApprover();
    page = await browser.get(`/review/cases/${caseId}`);
    expect(page.body).toContain('受审分离：您已复核过该案件，不能再对其审批');
    expect(page.body).not.toContain('value="approve"');
    const refused = await browser.post(`/review/cases/${caseId}`, { _csrf: field(page.body, '_csrf'), opId: uuidv7(), action: 'approve' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('受审分离');
    expect((await caseRow(caseId)).status).toBe('pending_approval');
    expect((await pageOps(office)).map((r) => [r.outcome, r.reason])).toEqual([
      ['applied', null],
      ['refused', 'separation_of_duties'],
    ]);
  });

  it('requires a reason to refuse, and keeps what stations typed as text', async () => {
    const { s, office } = await setUp();
    const script = '<script>alert("x")</script>';
    const { caseId } = await accept(s, {
      code: 'D1',
      form: { name: '王小明', changedField: 'name', oldValue: script, newValue: '<img src=x onerror=alert(1)>' },
      materials: [{ code: 'PROOF', name: script }],
    });
    const browser = new Browser(suite.central.app);
    await browser.login(office.code, 'wu_fuhe', PASSWORD);
    const page = await browser.get(`/review/cases/${caseId}`);
    // The only stylesheet is allowed by its hash, so the policy needs neither 'unsafe-inline' nor any script source;
    // images (material pages) come from the gateway alone.
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.body)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(page.body).not.toContain('<script');
    expect(page.body).not.toContain('<img');
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');

    const reject = { _csrf: field(page.body, '_csrf'), opId: field(page.body, 'opId'), action: 'reject', reason: ' ' };
    const missing = await browser.post(`/review/cases/${caseId}`, reject);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('必须写明原因');
    const done = await browser.post(`/review/cases/${caseId}`, { ...reject, reason: '证明材料与<户籍>不符' });
    expect(done.statusCode).toBe(303);
    const after = await browser.get(done.headers.location as string);
    expect(after.body).toContain('证明材料与&lt;户籍&gt;不符');
    expect(await caseRow(caseId)).toMatchObject({ status: 'rejected', last_reason: '证明材料与<户籍>不符' });
  });

  it('lets a reviewer settle a registry conflict; the choice goes down the station stream', async () => {
    const { s, office, wu } = await setUp();
    const personId = uuidv7();
    const teller = { operatorId: s.operators.teller };
    const op = outbox();
    await push(s.device, [
      op('person.created', personCreated(personId, '330106198507120011'), teller),
      op('person.patched', { personId, baseVersion: 1, patch: { phone: '13812345678' } }, teller),
    ]);
    const second = await s.enrolDevice('2号窗口');
    const clash = await push(second, [outbox()('person.patched', { personId, baseVersion: 1, patch: { phone: '13900000000' } }, teller)]);
    expect(clash.results[0]).toMatchObject({ outcome: 'conflicted' });
    const cursor = (await pull(s.device)).streams.station.cursor;

    const browser = new Browser(suite.central.app);
    await browser.login(office.code, 'wu_fuhe', PASSWORD);
    const page = await browser.get('/review/conflicts');
    expect(page.body).toContain('13812345678');
    expect(page.body).toContain('13900000000');
    const conflictId = /action="\/review\/conflicts\/([^"]+)"/.exec(page.body)![1]!;
    const resolved = await browser.post(`/review/conflicts/${conflictId}`, { _csrf: field(page.body, '_csrf'), resolution: 'device' });
    expect(resolved.headers.location).toBe('/review/conflicts?done=resolved');

    const record = await suite.db.store.db.selectFrom('registry').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
    expect(JSON.parse(record.fields)).toMatchObject({ phone: '13900000000' });
    expect(record.version).toBe(3);
    const down = (await pull(s.device, cursor)).streams.station.changes;
    expect(down.map((c) => c.entity)).toEqual(['person', 'conflict']);
    expect(JSON.parse(down[1]!.data)).toMatchObject({ id: conflictId, resolution: 'device', resolvedBy: wu.id });

    const twice = await browser.post(`/review/conflicts/${conflictId}`, { _csrf: field(page.body, '_csrf'), resolution: 'server' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('已经处理过');
    expect((await browser.get('/review/conflicts')).body).toContain('暂无待处理的登记冲突');
  });

  it('ends the session at logout', async () => {
    const { office } = await setUp();
    const browser = new Browser(suite.central.app);
    await browser.login(office.code, 'wu_fuhe', PASSWORD);
    const queue = await browser.get('/review/');
    expect(queue.statusCode).toBe(200);
    expect(queue.headers['set-cookie']).toBeUndefined();
    const out = await browser.post('/review/logout', { _csrf: field(queue.body, '_csrf') });
    expect(out.headers.location).toBe('/review/login');
    expect((await browser.get('/review/')).statusCode).toBe(303);
  });
});
