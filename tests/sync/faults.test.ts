import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/testing/id-numbers';
import type { Send, SignedRequestInit } from '#shared/sync/client';
import { syncClient } from '../../server/src/client/sync-client';
import type { Backend } from '../../server/src/db/store';
import { outbox } from '../../server/src/testing/central';
import { centralOffice, centralOps, centralStreams, registryDifferences, stationCore, stationLedger, type CentralOffice } from './harness';

/**
 * Fault injection between a real station core and a real central office: requests lost on the way, answers lost on
 * the way back, requests delivered twice, and requests held back and delivered late (after newer ones). Whatever
 * happens, once the link heals the central office holds every operation the station committed exactly once, in
 * order, and both download streams' checksums on the station equal the central office's.
 */

const FAULTS = ['ok', 'dropRequest', 'dropResponse', 'duplicate', 'delay'] as const;
type Fault = (typeof FAULTS)[number];

function faultyLink(deliver: Send) {
  let faults: Fault[] = [];
  const held: SignedRequestInit[] = [];
  // A late request still reaches the server; its answer goes nowhere (the client gave up on it long ago).
  const deliverLate = async () => {
    const request = held.shift();
    if (request) await deliver(request).catch(() => undefined);
  };
  const send: Send = async (request) => {
    const fault = faults.shift() ?? 'ok';
    if (fault === 'dropRequest') throw new Error('connection reset before the request arrived');
    if (fault === 'delay') {
      held.push(request);
      throw new Error('timed out');
    }
    const answer = await deliver(request);
    if (fault === 'dropResponse') throw new Error('connection reset before the answer arrived');
    // The very same request again (a retransmission): the central office must refuse the replayed nonce.
    if (fault === 'duplicate') await deliver(request);
    await deliverLate();
    return answer;
  };
  return {
    send,
    inject: (next: readonly Fault[]) => void (faults = [...next]),
    async heal() {
      faults = [];
      while (held.length > 0) await deliverLate();
    },
  };
}

type Step =
  | { kind: 'register' }
  | { kind: 'patch'; phone: string }
  | { kind: 'reveal' }
  | { kind: 'sync'; faults: Fault[] }
  /** Another counter of the station edits the newest person the central office holds. */
  | { kind: 'otherCounter'; patch: { phone: string } | { address: string } };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'register' }),
  fc.stringMatching(/^1[3-9]\d{9}$/).map<Step>((phone) => ({ kind: 'patch', phone })),
  fc.constant<Step>({ kind: 'reveal' }),
  fc.array(fc.constantFrom(...FAULTS), { maxLength: 6 }).map<Step>((faults) => ({ kind: 'sync', faults })),
  fc
    .oneof(
      fc.stringMatching(/^1[3-9]\d{9}$/).map((phone) => ({ phone })),
      fc.constantFrom({ address: '文一路1号' }, { address: '文二路2号' }),
    )
    .map<Step>((patch) => ({ kind: 'otherCounter', patch })),
);

/** A second counter of the same station on a perfect link, writing straight to the central office. */
async function otherCounter(central: CentralOffice) {
  const client = syncClient(central.send);
  const { device } = await client.enrol(await central.enrolmentCode(), '2号窗口');
  const op = outbox();
  return async (patch: { phone: string } | { address: string }) => {
    const newest = await central.store.db
      .selectFrom('registry')
      .select(['id', 'version'])
      .where('entity', '=', 'person')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!newest) return;
    const payload = { personId: newest.id, baseVersion: Number(newest.version), patch };
    const res = await client.push(device, [op('person.patched', payload, { operatorId: central.accounts.zhou_teller!, windowNo: 2 })]);
    expect(res.ok).toBe(true);
  };
}

async function faultRun(backend: Backend, steps: Step[]): Promise<void> {
  const central = await centralOffice(backend);
  const link = faultyLink(central.send);
  const station = await stationCore(link.send);
  try {
    await station.enrol(central);
    const admin = await station.login('admin', 'admin123');
    await admin.call('sync.now', {});
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    const elsewhere = await otherCounter(central);
    const persons: { id: string; version: number }[] = [];
    for (const step of steps) {
      if (step.kind === 'register') {
        const p = await teller.call('person.create', {
          idNumber: makeIdNumber('330106', '1980-01-01', persons.length + 1),
          name: '测试人员',
        });
        persons.push({ id: p.id, version: p.version });
      } else if (step.kind === 'patch' && persons.length > 0) {
        const target = persons[persons.length - 1]!;
        const current = await teller.call('person.get', { id: target.id });
        await teller.call('person.update', { id: target.id, baseVersion: current.version, patch: { phone: step.phone } });
      } else if (step.kind === 'reveal' && persons.length > 0) {
        await teller.call('person.reveal', { id: persons[0]!.id });
      } else if (step.kind === 'otherCounter') {
        await elsewhere(step.patch);
      } else if (step.kind === 'sync') {
        link.inject(step.faults);
        await teller.call('sync.now', {});
      }
    }

    await link.heal();
    let status = await teller.call('sync.now', {});
    for (let i = 0; i < 3 && (status.pendingOps > 0 || status.state !== 'online'); i++) status = await teller.call('sync.now', {});
    expect(status).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });

    const ledger = stationLedger(station.dataDir);
    // Every committed operation exactly once, at its own sequence.
    expect(await centralOps(central.store, status.deviceId!)).toEqual(ledger.outbox);
    expect(ledger.streams).toEqual(await centralStreams(central.store, central.stationCode));
    // The station's view of its registry is the central office's.
    expect(await registryDifferences(central.store, central.stationCode, station.dataDir)).toEqual([]);
  } finally {
    station.dispose();
    await central.close();
  }
}

describe('sync over a faulty link', () => {
  it('after healing, every committed operation is held once, both streams match, and the registry is the central one (SQLite)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 14 }), (steps) => faultRun('sqlite', steps)),
      { numRuns: 10, endOnFailure: true },
    );
  }, 240_000);

  it('converges the same way over PostgreSQL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 6, maxLength: 12 }), (steps) => faultRun('postgres', steps)),
      { numRuns: 2, endOnFailure: true },
    );
  }, 240_000);
});
