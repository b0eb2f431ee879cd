import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import { catalogueSchema } from '#shared/domain/catalogue/schema';
import type { Change, PullResponse, StreamName } from '#shared/sync/protocol';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import shippedCatalogue from '../../../resources/catalogue/default.json';
import { changeDigest } from '../crypto';
import { publishReference } from '../reference/publish';
import { BACKENDS, outbox, personCreated, type Central, type Device } from '../testing/central';
import { centralSuite } from '../testing/suite';

/** What a device computes from the changes it applied: it must equal the server's checkpoint. */
const tally = (changes: Change[]) => ({
  count: changes.length,
  checksum: changes.reduce((sum, c) => (sum + changeDigest({ entity: c.entity, id: c.id, dataJson: c.data })) % CHECKSUM_MODULUS, 0),
});

describe.each(BACKENDS)('pull on %s', (backend) => {
  const suite = centralSuite(backend);

  const pull = async (device: Device, query: { station?: number; reference?: number; limit?: number } = {}) => {
    const res = await suite.central.client.pull(device, query);
    if (!res.ok) throw new Error(JSON.stringify(res.body));
    return res.body as PullResponse;
  };

  /** Follows the cursors page by page, as a device does, until neither stream has more. */
  const drain = async (device: Device, limit: number) => {
    const seen: Record<StreamName, Change[]> = { station: [], reference: [] };
    let cursors = { station: 0, reference: 0 };
    let last: PullResponse;
    let pages = 0;
    do {
      last = await pull(device, { ...cursors, limit });
      pages += 1;
      for (const stream of ['station', 'reference'] as const) {
        seen[stream].push(...last.streams[stream].changes);
        expect(last.streams[stream].checkpoint).toMatchObject(tally(seen[stream]));
      }
      cursors = { station: last.streams.station.cursor, reference: last.streams.reference.cursor };
    } while (last.streams.station.hasMore || last.streams.reference.hasMore);
    return { seen, pages };
  };

  const registerPeople = async (s: Awaited<ReturnType<Central['station']>>, n: number) => {
    const op = outbox();
    const ops = Array.from({ length: n }, (_, i) =>
      op('person.created', personCreated(uuidv7(), `3301061985071200${String(i).padStart(2, '0')}`), { operatorId: s.operators.teller }),
    );
    const res = await suite.central.client.push(s.device, ops);
    expect(res.status).toBe(200);
  };

  it('pages through both streams with cursors; every checkpoint matches what the device holds so far', async () => {
    const s = await suite.central.station();
    await registerPeople(s, 23);
    const { seen, pages } = await drain(s.device, 5);
    expect(pages).toBeGreaterThan(4);
    expect(seen.station.filter((c) => c.entity === 'person')).toHaveLength(23);
    expect(seen.station.map((c) => c.seq)).toEqual([...seen.station.map((c) => c.seq)].sort((a, b) => a - b));
    // The station's operator accounts, published centrally, arrive in the reference stream.
    expect(seen.reference.filter((c) => c.entity === 'operator')).toHaveLength(4);
    // Nothing new: an empty page keeps the cursor and still carries the checkpoint.
    const again = await pull(s.device, { station: seen.station.at(-1)!.seq, reference: seen.reference.at(-1)!.seq });
    expect(again.streams.station).toMatchObject({
      changes: [],
      hasMore: false,
      cursor: seen.station.at(-1)!.seq,
      checkpoint: tally(seen.station),
    });
  });

  it("shows a device its own station's data and its region's reference data only", async () => {
    const mine = await suite.central.station({ region: '330106' });
    const neighbour = await suite.central.station({ region: '330106' });
    const far = await suite.central.station({ region: '510112' });
    await registerPeople(neighbour, 2);
    await publishReference(
      suite.db.store,
      { kind: 'holidays', region: '330000', effectiveFrom: '2026-01-01', data: HOLIDAYS_2026 },
      new Date(),
    );
    await publishReference(
      suite.db.store,
      { kind: 'holidays', region: '510000', effectiveFrom: '2026-01-01', data: HOLIDAYS_2026 },
      new Date(),
    );

    const seen = (await drain(mine.device, 100)).seen;
    expect(seen.station.filter((c) => c.entity === 'person')).toEqual([]);
    const references = seen.reference
      .filter((c) => c.entity === 'reference')
      .map((c) => JSON.parse(c.data) as { kind: string; region: string; data: unknown });
    expect(references.map((r) => [r.kind, r.region])).toEqual([['holidays', '330000']]);
    expect(references[0]!.data).toEqual(HOLIDAYS_2026);
    expect(
      seen.reference
        .filter((c) => c.entity === 'operator')
        .every((c) => (JSON.parse(c.data) as { stationCode: string }).stationCode === mine.code),
    ).toBe(true);
    const farSeen = (await drain(far.device, 100)).seen.reference.filter((c) => c.entity === 'reference');
    expect(farSeen.map((c) => (JSON.parse(c.data) as { region: string }).region)).toEqual(['510000']);
  });

  it('versions reference data per kind and region and refuses data its domain schema rejects', async () => {
    const first = await publishReference(
      suite.db.store,
      { kind: 'holidays', region: '320000', effectiveFrom: '2026-01-01', data: HOLIDAYS_2026 },
      new Date(),
    );
    const second = await publishReference(
      suite.db.store,
      { kind: 'holidays', region: '320000', effectiveFrom: '2026-02-01', data: HOLIDAYS_2026 },
      new Date(),
    );
    expect([first.version, second.version]).toEqual([1, 2]);
    await expect(
      publishReference(
        suite.db.store,
        { kind: 'holidays', region: '320000', effectiveFrom: '2026-01-01', data: { ...HOLIDAYS_2026, makeUpWorkdays: ['2026-03-02'] } },
        new Date(),
      ),
    ).rejects.toThrow(/调休上班日/);
  });

  it('uses a published catalogue for the cases of its region from its effective date', async () => {
    const s = await suite.central.station({ region: '330106' });
    // The province makes 个人关键信息变更 (D1) a three-level item.
    const edited = catalogueSchema.parse(shippedCatalogue);
    const d1 = edited.items.flatMap((i) => i.subItems).find((sub) => sub.code === 'D1')!;
    d1.reviewLevel = 3;
    d1.steps = [...d1.steps, { name: '审批', actor: 'approver' }];
    await publishReference(suite.db.store, { kind: 'catalogue', region: '330000', effectiveFrom: '2026-03-01', data: edited }, new Date());
    const op = outbox();
    const accept = (n: number, day: string) =>
      op(
        'case.accepted',
        {
          id: uuidv7(),
          caseNo: `${s.code}-${day}-000${n}`,
          subItemCode: 'D1',
          personId: null,
          employerId: null,
          form: {},
          materials: [],
          steps: ['accept', 'submit_for_review'],
          at: new Date().toISOString(),
        },
        { operatorId: s.operators.teller },
      );
    const res = await suite.central.client.push(s.device, [accept(1, '20260227'), accept(2, '20260302')]);
    expect(res.status).toBe(200);
    const levels = await suite.db.store.db
      .selectFrom('case_file')
      .select(['case_no', 'review_level'])
      .where('station_code', '=', s.code)
      .orderBy('case_no')
      .execute();
    expect(levels.map((l) => l.review_level)).toEqual([2, 3]);
  });

  it('refuses a replayed pull and a query it does not understand', async () => {
    const s = await suite.central.station();
    const { signRequest } = await import('../client/device');
    const req = signRequest(s.device, { method: 'GET', url: '/v1/sync/pull?station=0&reference=0' });
    expect((await suite.central.app.inject({ method: 'GET', url: req.url, headers: req.headers })).statusCode).toBe(200);
    const replay = await suite.central.app.inject({ method: 'GET', url: req.url, headers: req.headers });
    expect(JSON.parse(replay.body)).toMatchObject({ error: { code: 'REPLAYED_NONCE' } });
    const odd = signRequest(s.device, { method: 'GET', url: '/v1/sync/pull?station=-1&scope=all' });
    const res = await suite.central.app.inject({ method: 'GET', url: odd.url, headers: odd.headers });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });
});
