import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Change, OpEnvelope, PullResponse, PushResponse } from '#shared/sync/protocol';
import { putOperator } from '../reference/publish';
import { BACKENDS, outbox, personCreated, TEST_VERIFIER, type Central, type Device } from '../testing/central';
import { centralSuite } from '../testing/suite';

type Station = Awaited<ReturnType<Central['station']>>;

const at = '2026-03-02T09:00:00.000Z';
const form = { name: '王小明', idNumber: '330106198507120011' };
const materials = [{ code: 'M1', name: '身份证', status: 'received' as const }];

/** A level-2 case (个人关键信息变更) accepted and sent to review, as the station's outbox writes it. */
const acceptForReview = (op: ReturnType<typeof outbox>, s: Station, caseId: string, n = 1) =>
  op(
    'case.accepted',
    {
      id: caseId,
      caseNo: `${s.code}-20260302-${String(n).padStart(4, '0')}`,
      subItemCode: 'D1',
      personId: null,
      employerId: null,
      form,
      materials,
      steps: ['accept', 'submit_for_review'],
      at,
    },
    { operatorId: s.operators.teller },
  );

const intent = (
  op: ReturnType<typeof outbox>,
  s: Station,
  caseId: string,
  action: 'pass_review' | 'withdraw' | 'deliver' | 'reject',
  steps: string[],
  operatorId: string,
  fromStatus = 'pending_review',
) =>
  op(
    'case.intent',
    {
      caseId,
      caseNo: `${s.code}-20260302-0001`,
      action,
      reason: action === 'reject' ? '材料不全' : null,
      fromStatus: fromStatus as 'pending_review',
      steps: steps as ['pass_review'],
      at,
    },
    { operatorId },
  );

describe.each(BACKENDS)('operations on %s', (backend) => {
  const suite = centralSuite(backend);

  const push = async (device: Device, ops: OpEnvelope[]) => {
    const res = await suite.central.client.push(device, ops);
    if (!res.ok) throw new Error(JSON.stringify(res.body));
    return res.body as PushResponse;
  };
  const pullAll = async (device: Device) => {
    const res = await suite.central.client.pull(device, { limit: 1000 });
    if (!res.ok) throw new Error(JSON.stringify(res.body));
    return res.body as PullResponse;
  };
  const latest = (changes: Change[], entity: string, id: string) => {
    const found = changes.filter((c) => c.entity === entity && c.id === id).at(-1);
    return found && (JSON.parse(found.data) as Record<string, unknown>);
  };

  it('replays an accepted case on the central state machine and keeps the catalogue review level', async () => {
    const s = await suite.central.station();
    const op = outbox();
    const caseId = uuidv7();
    const res = await push(s.device, [acceptForReview(op, s, caseId)]);
    expect(res.results[0]).toMatchObject({ outcome: 'applied' });
    const row = await suite.db.store.db.selectFrom('case_file').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'pending_review',
      review_level: 2,
      business_date: '2026-03-02',
      sub_item_code: 'D1',
      accepted_operator: s.operators.teller,
    });
    const data = latest((await pullAll(s.device)).streams.station.changes, 'case', caseId);
    expect(data).toMatchObject({
      status: 'pending_review',
      form,
      caseNo: `${s.code}-20260302-0001`,
      transition: {
        firstSeq: 1,
        fromStatus: 'draft',
        steps: [{ action: 'accept' }, { action: 'submit_for_review', toStatus: 'pending_review' }],
        operatorId: s.operators.teller,
      },
    });
  });

  it('refuses a case the station claims to have finished alone when the catalogue requires review', async () => {
    const s = await suite.central.station();
    const op = outbox();
    const res = await push(s.device, [
      op(
        'case.accepted',
        {
          id: uuidv7(),
          caseNo: `${s.code}-20260302-0001`,
          subItemCode: 'D1',
          personId: null,
          employerId: null,
          form,
          materials,
          steps: ['accept', 'complete'],
          at,
        },
        { operatorId: s.operators.teller },
      ),
    ]);
    expect(res.results[0]).toMatchObject({ outcome: 'refused', code: 'CASE_REFUSED', reason: 'review_level' });
    expect(res.results[0]!.message).toContain('复核');
  });

  it('checks separation of duties again: whoever accepted a case may not review it, whatever the station allowed', async () => {
    const s = await suite.central.station();
    const op = outbox();
    const caseId = uuidv7();
    await push(s.device, [acceptForReview(op, s, caseId)]);
    // The acceptor has since been made a reviewer by the central office.
    await putOperator(
      suite.db.store,
      {
        stationCode: s.code,
        username: `teller_${s.code}`.slice(0, 32),
        displayName: '测试teller',
        role: 'reviewer',
        passwordVerifier: TEST_VERIFIER,
      },
      new Date(),
      uuidv7,
    );
    const res = await push(s.device, [intent(op, s, caseId, 'pass_review', ['pass_review', 'mark_ready'], s.operators.teller)]);
    expect(res.results[0]).toMatchObject({ outcome: 'refused', code: 'CASE_REFUSED', reason: 'separation_of_duties' });
    const row = await suite.db.store.db.selectFrom('case_file').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending_review');
  });

  it('lets a central reviewer of the region decide, and the decision flows down to the station that hands out the result', async () => {
    const s = await suite.central.station({ region: '330106' });
    const office = await suite.central.station({ region: '330100', kind: 'central' });
    const op = outbox();
    const caseId = uuidv7();
    await push(s.device, [acceptForReview(op, s, caseId)]);

    const queue = await pullAll(office.device);
    expect(latest(queue.streams.station.changes, 'case', caseId)).toMatchObject({ status: 'pending_review', stationCode: s.code });

    const decided = await push(office.device, [
      intent(outbox(), s, caseId, 'pass_review', ['pass_review', 'mark_ready'], office.operators.reviewer),
    ]);
    expect(decided.results[0]).toMatchObject({ outcome: 'applied' });
    const down = await pullAll(s.device);
    expect(latest(down.streams.station.changes, 'case', caseId)).toMatchObject({
      status: 'ready_for_pickup',
      reviewedBy: [office.operators.reviewer],
      transition: {
        firstSeq: 3,
        fromStatus: 'pending_review',
        operatorId: office.operators.reviewer,
        steps: [
          { action: 'pass_review', toStatus: 'approved' },
          { action: 'mark_ready', toStatus: 'ready_for_pickup' },
        ],
      },
    });
    // The window hands it out.
    const handed = await push(s.device, [intent(op, s, caseId, 'deliver', ['deliver'], s.operators.teller, 'ready_for_pickup')]);
    expect(handed.results[0]).toMatchObject({ outcome: 'applied' });
  });

  it('keeps a central workstation to its own region and to decisions', async () => {
    const s = await suite.central.station({ region: '330106' });
    const elsewhere = await suite.central.station({ region: '510100', kind: 'central' });
    const caseId = uuidv7();
    await push(s.device, [acceptForReview(outbox(), s, caseId)]);
    expect((await pullAll(elsewhere.device)).streams.station.changes.some((c) => c.id === caseId)).toBe(false);
    const res = await push(elsewhere.device, [intent(outbox(), s, caseId, 'pass_review', ['pass_review'], elsewhere.operators.reviewer)]);
    expect(res.results[0]).toMatchObject({ outcome: 'refused', code: 'OUT_OF_SCOPE' });
    const accept = await push(elsewhere.device, [acceptForReview(outbox(2), elsewhere, uuidv7())]);
    expect(accept.results[0]).toMatchObject({ outcome: 'refused', code: 'OUT_OF_SCOPE' });
  });

  it('records a refused intent as a visible refusal and sends the case as it stands to the station', async () => {
    const s = await suite.central.station({ region: '330106' });
    const office = await suite.central.station({ region: '330000', kind: 'central' });
    const caseId = uuidv7();
    const op = outbox();
    await push(s.device, [acceptForReview(op, s, caseId)]);
    await push(office.device, [intent(outbox(), s, caseId, 'reject', ['reject'], office.operators.reviewer)]);
    // Offline, the station's teller withdrew the case meanwhile.
    const res = await push(s.device, [intent(op, s, caseId, 'withdraw', ['withdraw'], s.operators.teller)]);
    expect(res.results[0]).toMatchObject({ outcome: 'refused', code: 'CASE_REFUSED', reason: 'invalid_transition' });
    const changes = (await pullAll(s.device)).streams.station.changes;
    expect(latest(changes, 'refusal', res.results[0]!.opId)).toMatchObject({
      type: 'case.intent',
      code: 'CASE_REFUSED',
      message: expect.stringContaining('不予办理'),
    });
    expect(latest(changes, 'case', caseId)).toMatchObject({ status: 'rejected' });
    const logged = await suite.db.store.db
      .selectFrom('op_log')
      .select(['outcome', 'code'])
      .where('op_id', '=', res.results[0]!.opId)
      .executeTakeFirstOrThrow();
    expect(logged).toEqual({ outcome: 'refused', code: 'CASE_REFUSED' });
  });

  it('refuses operations of an operator the central office does not know, and a case of another station', async () => {
    const s = await suite.central.station();
    const other = await suite.central.station();
    const op = outbox();
    const res = await push(s.device, [
      op('person.created', personCreated(uuidv7(), '330106198001010013'), { operatorId: uuidv7() }),
      acceptForReview(op, other, uuidv7()),
    ]);
    expect(res.results.map((r) => r.code)).toEqual(['UNKNOWN_OPERATOR', 'OUT_OF_SCOPE']);
  });

  it('merges patches of different fields and turns a concurrent edit of the same field into a conflict', async () => {
    const s = await suite.central.station();
    const second = await s.enrolDevice('2号窗口');
    const personId = uuidv7();
    const one = outbox();
    const two = outbox();
    const teller = { operatorId: s.operators.teller };
    await push(s.device, [one('person.created', personCreated(personId, '330106198507120011'), teller)]);
    // Both windows edit from version 1 while offline.
    await push(s.device, [one('person.patched', { personId, baseVersion: 1, patch: { phone: '13812345678' } }, teller)]);
    const merged = await push(second, [
      two('person.patched', { personId, baseVersion: 1, patch: { address: '杭州市西湖区文三路1号' } }, teller),
    ]);
    expect(merged.results[0]).toMatchObject({ outcome: 'applied' });
    const clash = await push(second, [
      two('person.patched', { personId, baseVersion: 1, patch: { phone: '13900000000', name: '王晓明' } }, teller),
    ]);
    expect(clash.results[0]).toMatchObject({ outcome: 'conflicted', conflicts: [{ field: 'phone' }] });

    const row = await suite.db.store.db.selectFrom('registry').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.fields)).toMatchObject({ phone: '13812345678', address: '杭州市西湖区文三路1号', name: '王晓明' });
    expect(row.version).toBe(4);
    const conflict = await suite.db.store.db.selectFrom('conflict').selectAll().where('entity_id', '=', personId).executeTakeFirstOrThrow();
    expect(conflict).toMatchObject({
      kind: 'field',
      field: 'phone',
      base_version: 1,
      server_value: '"13812345678"',
      device_value: '"13900000000"',
    });
    const changes = (await pullAll(s.device)).streams.station.changes;
    expect(latest(changes, 'conflict', conflict.id)).toMatchObject({ entity: 'person', field: 'phone' });
    // The same device editing its own earlier change again is no conflict.
    const again = await push(s.device, [one('person.patched', { personId, baseVersion: 2, patch: { phone: '13812345679' } }, teller)]);
    expect(again.results[0]).toMatchObject({ outcome: 'applied' });
  });

  it('keeps a person registered twice and records the duplicate for the back office', async () => {
    const a = await suite.central.station();
    const b = await suite.central.station();
    const first = uuidv7();
    const twice = uuidv7();
    await push(a.device, [outbox()('person.created', personCreated(first, '330106199002030026'), { operatorId: a.operators.teller })]);
    const res = await push(b.device, [
      outbox()('person.created', personCreated(twice, '330106199002030026'), { operatorId: b.operators.teller }),
    ]);
    expect(res.results[0]).toMatchObject({ outcome: 'conflicted', conflicts: [{ field: 'idNumber' }] });
    const conflict = await suite.db.store.db.selectFrom('conflict').selectAll().where('entity_id', '=', twice).executeTakeFirstOrThrow();
    expect(conflict).toMatchObject({ kind: 'duplicate', server_value: JSON.stringify(first), device_value: JSON.stringify(twice) });
  });

  it('stores audit-like operations as facts and changes nothing else', async () => {
    const s = await suite.central.station();
    const op = outbox();
    const before = await pullAll(s.device);
    const res = await push(s.device, [
      op('audit.login_failed', { username: 'nobody', windowNo: 1 }),
      op('audit.person_revealed', { personId: uuidv7() }, { operatorId: s.operators.teller }),
      op('audit.sod_refused', { caseId: null, action: 'approve' }, { operatorId: s.operators.teller }),
    ]);
    expect(res.results.every((r) => r.outcome === 'applied')).toBe(true);
    const facts = await suite.db.store.db
      .selectFrom('op_log')
      .select(['type', 'payload'])
      .where('device_id', '=', s.device.deviceId)
      .orderBy('seq')
      .execute();
    expect(facts.map((f) => f.type)).toEqual(['audit.login_failed', 'audit.person_revealed', 'audit.sod_refused']);
    expect(JSON.parse(facts[0]!.payload)).toEqual({ username: 'nobody', windowNo: 1 });
    expect((await pullAll(s.device)).streams.station.changes).toEqual(before.streams.station.changes);
  });

  it('takes accounts created by the station administrator and station settings, but not a change of code or region', async () => {
    const s = await suite.central.station();
    const op = outbox();
    const admin = { operatorId: s.operators.admin };
    const accountId = uuidv7();
    const res = await push(s.device, [
      op(
        'operator.created',
        { id: accountId, username: 'newteller', displayName: '新柜员', role: 'teller', disabled: false, passwordVerifier: TEST_VERIFIER },
        admin,
      ),
      op(
        'operator.created',
        { id: uuidv7(), username: 'newteller', displayName: '重名', role: 'teller', disabled: false, passwordVerifier: TEST_VERIFIER },
        admin,
      ),
      op(
        'station.updated',
        { code: s.code, name: '新站名', regionCode: s.region, windows: [1, 2], idleLockMinutes: 5 },
        { operatorId: null },
      ),
      op('station.updated', { code: s.code, name: '新站名', regionCode: '510100', windows: [1], idleLockMinutes: 5 }, admin),
    ]);
    expect(res.results.map((r) => r.code ?? r.outcome)).toEqual(['applied', 'USERNAME_TAKEN', 'applied', 'STATION_MISMATCH']);
    const pulled = await pullAll(s.device);
    expect(latest(pulled.streams.reference.changes, 'operator', accountId)).toMatchObject({
      username: 'newteller',
      role: 'teller',
      stationCode: s.code,
    });
    expect(latest(pulled.streams.station.changes, 'station', s.code)).toMatchObject({ settings: { windows: [1, 2] } });
  });
});
