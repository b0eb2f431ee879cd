import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { idCheckCharacter } from '#shared/domain/identity/resident-id';
import { isPlainText, type ErrorBody, type OpEnvelope, type PushResponse } from '#shared/sync/protocol';
import { SIGNED_HEADERS } from '#shared/sync/signing';
import { revokeDevice } from '../admin/stations';
import { ed25519Signer, generateDeviceKeys, signRequest, type DeviceCredentials } from '../client/device';
import { BACKENDS, footprint, loginOp, personCreated, rawOp } from '../testing/central';
import { centralSuite } from '../testing/suite';

const logins = (from: number, to: number, operatorId: string): OpEnvelope[] =>
  Array.from({ length: to - from + 1 }, (_, i) => loginOp(from + i, operatorId));

let people = 0;
/** A person registered by a teller: a registry record and a change in the station's stream when applied. */
function personOp(seq: number, tellerId: string): OpEnvelope {
  people += 1;
  const body = `330106${1980 + Math.floor(people / 1000)}0101${String(people % 1000).padStart(3, '0')}`;
  return rawOp(seq, 'person.created', personCreated(uuidv7(), body + idCheckCharacter(body)), { operatorId: tellerId });
}

/** The same operation as another device numbers it, its payload's keys in another order (as any JSON text may have them). */
const renumbered = (op: OpEnvelope, seq: number): OpEnvelope => ({
  ...op,
  seq,
  payload: Object.fromEntries(Object.entries(op.payload as Record<string, unknown>).reverse()),
});

describe.each(BACKENDS)('push protocol on %s', (backend) => {
  const suite = centralSuite(backend, { bodyLimit: 64 * 1024 });

  /** Sends a signed request with any body, through the real HTTP pipeline. */
  const send = async (device: DeviceCredentials, body: string | Buffer, contentType = 'application/json') => {
    const req = signRequest(device, { method: 'POST', url: '/v1/sync/push', body, contentType });
    const res = await suite.central.app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.body });
    return { status: res.statusCode, body: JSON.parse(res.body) as ErrorBody };
  };

  it('applies a batch in order and answers with the last applied sequence and one result per operation', async () => {
    const s = await suite.central.station();
    const res = await suite.central.client.push(s.device, logins(1, 5, s.operators.teller));
    expect(res.ok && res.body).toMatchObject({
      lastAppliedSeq: 5,
      results: Array.from({ length: 5 }, (_, i) => ({ seq: i + 1, outcome: 'applied' })),
    });
  });

  it('answers a duplicate batch with the recorded results and applies nothing twice', async () => {
    const s = await suite.central.station();
    const batch = logins(1, 4, s.operators.teller);
    const first = await suite.central.client.push(s.device, batch);
    const before = await footprint(suite.db.store);
    const again = await suite.central.client.push(s.device, batch);
    expect(again.status).toBe(200);
    expect((again.body as PushResponse).results).toEqual((first.body as PushResponse).results);
    expect((again.body as PushResponse).lastAppliedSeq).toBe(4);
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('after a lost answer, a resend that overlaps skips what was applied and applies the rest', async () => {
    const s = await suite.central.station();
    const sent = logins(1, 10, s.operators.teller);
    const lost = await suite.central.client.push(s.device, sent); // the answer never reached the device
    const res = await suite.central.client.push(s.device, [...sent, ...logins(11, 15, s.operators.teller)]);
    expect(res.ok && res.body.lastAppliedSeq).toBe(15);
    expect(res.ok && res.body.results.slice(0, 10)).toEqual(lost.ok && lost.body.results);
    const rows = await suite.db.store.db
      .selectFrom('op_log')
      .select('seq')
      .where('device_id', '=', s.device.deviceId)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('refuses a batch that arrives before its predecessor (out of order) and one that leaves a gap, changing nothing', async () => {
    const s = await suite.central.station();
    const before = await footprint(suite.db.store);
    const early = await suite.central.client.push(s.device, logins(11, 20, s.operators.teller));
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'SEQUENCE_GAP', expectedSeq: 1, lastAppliedSeq: 0 } });
    expect(await footprint(suite.db.store)).toEqual(before);

    expect((await suite.central.client.push(s.device, logins(1, 10, s.operators.teller))).status).toBe(200);
    const gap = await suite.central.client.push(s.device, logins(12, 20, s.operators.teller));
    expect(gap.body).toMatchObject({ error: { code: 'SEQUENCE_GAP', expectedSeq: 11, lastAppliedSeq: 10 } });
    expect((await suite.central.client.push(s.device, logins(11, 20, s.operators.teller))).body).toMatchObject({ lastAppliedSeq: 20 });
  });

  it('refuses a batch whose operations are not in contiguous ascending order', async () => {
    const s = await suite.central.station();
    const ops = logins(1, 3, s.operators.teller);
    const res = await suite.central.client.push(s.device, [ops[0]!, ops[2]!, ops[1]!]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('refuses a replayed signed request even though its signature is valid', async () => {
    const s = await suite.central.station();
    const req = signRequest(s.device, {
      method: 'POST',
      url: '/v1/sync/push',
      body: JSON.stringify({ ops: logins(1, 2, s.operators.teller) }),
    });
    const inject = () => suite.central.app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.body });
    expect((await inject()).statusCode).toBe(200);
    const before = await footprint(suite.db.store);
    const replay = await inject();
    expect(replay.statusCode).toBe(401);
    expect(JSON.parse(replay.body)).toMatchObject({ error: { code: 'REPLAYED_NONCE' } });
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('refuses bad signatures, unknown devices, stale timestamps, missing headers and revoked devices', async () => {
    const s = await suite.central.station();
    const before = await footprint(suite.db.store);
    const body = JSON.stringify({ ops: logins(1, 1, s.operators.teller) });
    const signed = signRequest(s.device, { method: 'POST', url: '/v1/sync/push', body });
    const tampered = await suite.central.app.inject({
      method: 'POST',
      url: signed.url,
      headers: signed.headers,
      payload: body.replace('"seq":1', '"seq":1 '),
    });
    expect(JSON.parse(tampered.body)).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
    const otherKey = await send({ ...s.device, sign: ed25519Signer(generateDeviceKeys().privateKey) }, body);
    expect(otherKey).toMatchObject({ status: 401, body: { error: { code: 'BAD_SIGNATURE' } } });
    const stranger = await send({ ...s.device, deviceId: '00000000-0000-7000-8000-000000000000' }, body);
    expect(stranger).toMatchObject({ status: 401, body: { error: { code: 'UNKNOWN_DEVICE' } } });
    const dayOld = signRequest(s.device, { method: 'POST', url: '/v1/sync/push', body }, Date.now() - 86_400_000);
    const stale = await suite.central.app.inject({ method: 'POST', url: dayOld.url, headers: dayOld.headers, payload: body });
    expect(stale.statusCode).toBe(401);
    expect(JSON.parse(stale.body).error).toMatchObject({ code: 'STALE_TIMESTAMP', serverTime: expect.any(String) });
    const { [SIGNED_HEADERS.signature]: _dropped, ...unsignedHeaders } = signed.headers;
    const unsigned = await suite.central.app.inject({ method: 'POST', url: signed.url, headers: unsignedHeaders, payload: body });
    expect(JSON.parse(unsigned.body)).toMatchObject({ error: { code: 'UNSIGNED' } });
    expect(await footprint(suite.db.store)).toEqual(before);

    await revokeDevice(suite.db.store, s.device.deviceId, new Date());
    expect(await send(s.device, body)).toMatchObject({ status: 403, body: { error: { code: 'DEVICE_REVOKED' } } });
  });

  it('a device whose clock is a day off learns the server time and its next signed request passes', async () => {
    const s = await suite.central.station();
    s.device.clockOffsetMs = -86_400_000;
    const res = await suite.central.client.push(s.device, logins(1, 1, s.operators.teller));
    expect(res.status).toBe(200);
    expect(Math.abs(s.device.clockOffsetMs)).toBeLessThan(60_000);
  });

  it('refuses an oversized body with 413 and a body that is not JSON with 400', async () => {
    const s = await suite.central.station();
    const before = await footprint(suite.db.store);
    const big = JSON.stringify({ ops: logins(1, 1, s.operators.teller), pad: 'x'.repeat(70 * 1024) });
    expect(await send(s.device, big)).toMatchObject({ status: 413, body: { error: { code: 'BODY_TOO_LARGE' } } });
    expect(await send(s.device, '{"ops": [')).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_BODY' } } });
    expect(await send(s.device, 'ops=1', 'application/x-www-form-urlencoded')).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('answers any fuzzed body with a documented 4xx refusal and changes nothing', async () => {
    const s = await suite.central.station();
    const before = await footprint(suite.db.store);
    const envelope = fc.record(
      {
        seq: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.double(), fc.string()),
        opId: fc.oneof(fc.uuid(), fc.string()),
        type: fc.oneof(fc.constantFrom('operator.login', 'case.intent', 'person.patched'), fc.string()),
        payload: fc.anything(),
        createdAt: fc.string(),
        actor: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(
      fc.string({ unit: 'binary' }).map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      fc.record({ ops: fc.array(envelope, { maxLength: 4 }) }, { requiredKeys: [] }).map((v) => Buffer.from(JSON.stringify(v))),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await send(s.device, body);
        expect([400, 409, 422]).toContain(res.status);
        expect(['MALFORMED_BODY', 'INVALID_REQUEST', 'SEQUENCE_GAP', 'UNKNOWN_OPERATION_TYPE']).toContain(res.body.error.code);
        expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      }),
      { numRuns: 150 },
    );
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('answers any payload of a known type, in a well-formed batch, with a result per operation and never an error', async () => {
    const s = await suite.central.station();
    const { OPERATION_SCHEMAS } = await import('#shared/sync/operations');
    let next = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...Object.keys(OPERATION_SCHEMAS)),
            fc.anything({ stringUnit: 'binary', maxDepth: 3 }).filter((v) => v !== undefined),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        async (ops) => {
          const batch = ops.map(([type, payload], i) => rawOp(next + i, type, payload, { operatorId: s.operators.teller }));
          const res = await suite.central.client.push(s.device, batch);
          expect(res.body, JSON.stringify(res.body)).toMatchObject({ lastAppliedSeq: next + batch.length - 1 });
          expect(res.ok && res.body.results.map((r) => r.seq)).toEqual(batch.map((o) => o.seq));
          next += batch.length;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a whole batch holding an operation type it does not know, naming it, and applies none of it', async () => {
    const s = await suite.central.station();
    const before = await footprint(suite.db.store);
    const batch = [loginOp(1, s.operators.teller), rawOp(2, 'queue.ticket_issued', { ticketNo: 'A001' }), loginOp(3, s.operators.teller)];
    const res = await suite.central.client.push(s.device, batch);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'UNKNOWN_OPERATION_TYPE', seq: 2, type: 'queue.ticket_issued', expectedSeq: 1 } });
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('refuses a payload that does not fit its type as one operation, records why, and moves on', async () => {
    const s = await suite.central.station();
    const res = await suite.central.client.push(s.device, [
      loginOp(1, s.operators.teller),
      rawOp(2, 'operator.login', { operatorId: 7 }),
      loginOp(3, s.operators.teller),
    ]);
    expect(res.ok && res.body.lastAppliedSeq).toBe(3);
    expect(res.ok && res.body.results[1]).toMatchObject({
      seq: 2,
      outcome: 'refused',
      code: 'INVALID_PAYLOAD',
      message: expect.stringContaining('operatorId'),
    });
    const pulled = await suite.central.client.pull(s.device);
    const refusal = pulled.ok && pulled.body.streams.station.changes.find((c) => c.entity === 'refusal');
    expect(refusal && JSON.parse(refusal.data)).toMatchObject({ seq: 2, code: 'INVALID_PAYLOAD' });
  });

  it('keeps control characters and broken surrogates out of what it stores, on either engine', async () => {
    const s = await suite.central.station();
    const hostile = 'a\u0000b\ud800c';
    const res = await suite.central.client.push(s.device, [
      rawOp(1, 'audit.login_failed', { username: hostile, windowNo: 1 }),
      rawOp(2, 'person.patched', { personId: 'p', baseVersion: 1, patch: { [hostile]: 1 } }, { operatorId: s.operators.teller }),
      rawOp(3, 'case.intent', {
        caseId: 'c',
        caseNo: `${s.code}-20260302-0001`,
        action: 'reject',
        reason: hostile,
        fromStatus: 'pending_review',
        steps: ['reject'],
        at: '',
      }),
    ]);
    expect(res.ok && res.body.results.map((r) => r.code ?? r.outcome)).toEqual(['INVALID_PAYLOAD', 'INVALID_PAYLOAD', 'INVALID_PAYLOAD']);
    expect(res.ok && isPlainText(res.body.results[1]!.message!)).toBe(true);
    const fact = await suite.central.client.push(s.device, [rawOp(4, 'audit.person_revealed', { personId: 'p1', note: hostile })]);
    expect(fact.ok && fact.body.results[0]!.outcome).toBe('applied');
    const bad = await suite.central.client.push(s.device, [{ ...loginOp(5, s.operators.teller), createdAt: '2026\u0000' }]);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
  });

  it('refuses a resend whose sequence now names another operation, and an op id used twice', async () => {
    const s = await suite.central.station();
    await suite.central.client.push(s.device, logins(1, 2, s.operators.teller));
    const other = await suite.central.client.push(s.device, logins(2, 3, s.operators.teller));
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'SEQUENCE_MISMATCH', seq: 2 } } });
    const reused = await suite.db.store.db
      .selectFrom('op_log')
      .select('op_id')
      .where('device_id', '=', s.device.deviceId)
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    const before = await footprint(suite.db.store);
    const dup = await suite.central.client.push(s.device, [{ ...loginOp(3, s.operators.teller), opId: reused.op_id }]);
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'DUPLICATE_OP_ID', seq: 3 } } });
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('acknowledges operations another device of the station sent, same content, as already held and applies nothing twice', async () => {
    const s = await suite.central.station();
    const { teller } = s.operators;
    // The old device: a fact, a registration, a refused operation.
    const sent = [loginOp(1, teller), personOp(2, teller), rawOp(3, 'operator.login', { operatorId: 7 })];
    const first = await suite.central.client.push(s.device, sent);
    expect(first.ok && first.body.results.map((r) => r.code ?? r.outcome)).toEqual(['applied', 'applied', 'INVALID_PAYLOAD']);

    // The same PC enrolled anew: its restored outbox renumbered from 1, with work of its own around what was sent.
    const device = await s.enrolDevice('重新注册');
    const before = await footprint(suite.db.store);
    const batch = [personOp(1, teller), ...sent.map((op, i) => renumbered(op, i + 2)), loginOp(5, teller)];
    const res = await suite.central.client.push(device, batch);
    expect(res.status).toBe(200);
    const body = res.body as PushResponse;
    expect(body.lastAppliedSeq).toBe(5);
    expect(body.results).toEqual([
      { seq: 1, opId: batch[0]!.opId, outcome: 'applied' },
      { seq: 2, opId: sent[0]!.opId, outcome: 'applied', alreadyHeld: true },
      { seq: 3, opId: sent[1]!.opId, outcome: 'applied', alreadyHeld: true },
      { ...(first.body as PushResponse).results[2]!, seq: 4, alreadyHeld: true },
      { seq: 5, opId: batch[4]!.opId, outcome: 'applied' },
    ]);
    // Only the new device's own operations were applied: one registration more, its change, two op log rows.
    const after = await footprint(suite.db.store);
    expect(after).toMatchObject({ ops: before.ops + 2, records: before.records + 1, changes: before.changes + 1 });
    const holders = await suite.db.store.db
      .selectFrom('op_log')
      .select(['op_id', 'device_id', 'seq'])
      .where(
        'op_id',
        'in',
        sent.map((op) => op.opId),
      )
      .orderBy('seq')
      .execute();
    expect(holders).toEqual(sent.map((op) => ({ op_id: op.opId, device_id: s.device.deviceId, seq: op.seq })));

    // A resend after a lost answer repeats the same results, passing over the numbers held by the other device.
    const again = await suite.central.client.push(device, batch);
    expect(again.ok && again.body).toMatchObject({ lastAppliedSeq: 5, results: body.results });
    expect(await footprint(suite.db.store)).toEqual(after);
    // And the device goes on from there; a number it passed over, sent with another operation, is a mismatch.
    expect((await suite.central.client.push(device, [loginOp(6, teller)])).body).toMatchObject({ lastAppliedSeq: 6 });
    const other = await suite.central.client.push(device, [loginOp(3, teller)]);
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'SEQUENCE_MISMATCH', seq: 3, lastAppliedSeq: 6 } } });
  });

  it('refuses an operation id held from another station, or with another type or payload, as DUPLICATE_OP_ID', async () => {
    const s = await suite.central.station();
    const sent = [loginOp(1, s.operators.teller), personOp(2, s.operators.teller)];
    await suite.central.client.push(s.device, sent);
    const stranger = await suite.central.station();
    const sibling = await s.enrolDevice('2号窗口');
    const before = await footprint(suite.db.store);
    const refusals: [DeviceCredentials, OpEnvelope][] = [
      [stranger.device, sent[0]!],
      [sibling, { ...sent[0]!, payload: { operatorId: s.operators.teller, windowNo: 2 } }],
      [sibling, { ...sent[0]!, type: 'operator.logout', payload: { operatorId: s.operators.teller } }],
      [sibling, { ...sent[1]!, payload: { ...(sent[1]!.payload as object), phone: '13800000000' } }],
    ];
    for (const [device, op] of refusals) {
      const res = await suite.central.client.push(device, [loginOp(1, s.operators.teller), { ...op, seq: 2 }]);
      expect(res, JSON.stringify(op)).toMatchObject({ status: 409, body: { error: { code: 'DUPLICATE_OP_ID', seq: 2 } } });
    }
    expect(await footprint(suite.db.store)).toEqual(before);
  });

  it('whatever part of its outbox a re-enrolled PC sends again, in whatever batches, each operation is held once', async () => {
    const s = await suite.central.station();
    const { teller } = s.operators;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        async (kinds, plan, batchSize) => {
          const old = await s.enrolDevice();
          const sent = kinds.map((registration, i) => (registration ? personOp(i + 1, teller) : loginOp(i + 1, teller)));
          const first = await suite.central.client.push(old, sent);
          // The restored outbox: some of what the old device sent (in its order), the PC's own work in between.
          const outbox: OpEnvelope[] = [];
          let held = 0;
          for (const resend of plan) {
            const op = resend && held < sent.length ? sent[held++]! : personOp(0, teller);
            outbox.push(renumbered(op, outbox.length + 1));
          }
          const fresh = outbox.filter((op) => !sent.some((o) => o.opId === op.opId));
          const device = await s.enrolDevice();
          const before = await footprint(suite.db.store);
          const results = [];
          for (let i = 0; i < outbox.length; i += batchSize) {
            const res = await suite.central.client.push(device, outbox.slice(i, i + batchSize));
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            results.push(...(res.body as PushResponse).results);
          }
          const recorded = new Map(first.ok ? first.body.results.map((r) => [r.opId, r]) : []);
          expect(results).toEqual(
            outbox.map((op) => {
              const was = recorded.get(op.opId);
              return was ? { ...was, seq: op.seq, alreadyHeld: true } : { seq: op.seq, opId: op.opId, outcome: 'applied' };
            }),
          );
          expect(await footprint(suite.db.store)).toMatchObject({
            ops: before.ops + fresh.length,
            records: before.records + fresh.length,
            changes: before.changes + fresh.length,
          });
          const last = await suite.db.store.db
            .selectFrom('device')
            .select('last_seq')
            .where('id', '=', device.deviceId)
            .executeTakeFirstOrThrow();
          expect(last.last_seq).toBe(outbox.length);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('enrols a device once per code and refuses the code afterwards', async () => {
    const s = await suite.central.station();
    const { issueEnrolmentCode } = await import('../admin/stations');
    const { code } = await issueEnrolmentCode(suite.db.store, s.code, new Date());
    const body = (publicKey: string) => JSON.stringify({ code: code.toLowerCase(), publicKey, deviceName: '2号窗口' });
    const first = await suite.central.app.inject({
      method: 'POST',
      url: '/v1/enrol',
      headers: { 'content-type': 'application/json' },
      payload: body(generateDeviceKeys().publicKey),
    });
    expect(first.statusCode).toBe(201);
    expect(JSON.parse(first.body)).toMatchObject({ station: { code: s.code, kind: 'station' } });
    const second = await suite.central.app.inject({
      method: 'POST',
      url: '/v1/enrol',
      headers: { 'content-type': 'application/json' },
      payload: body(generateDeviceKeys().publicKey),
    });
    expect(JSON.parse(second.body)).toMatchObject({ error: { code: 'ENROLMENT_CODE_INVALID' } });
  });
});
