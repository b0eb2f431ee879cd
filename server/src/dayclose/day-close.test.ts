import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { DayCloseResponse } from '#shared/sync/protocol';
import { BACKENDS, loginOp, outbox, type Central } from '../testing/central';
import { centralSuite } from '../testing/suite';

describe.each(BACKENDS)('day close on %s', (backend) => {
  const suite = centralSuite(backend);

  /** A station that accepted two 职工参保登记 (C1) and one 个人关键信息变更 (D1) on 2026-03-02, one with an amount. */
  async function dayOfCases() {
    const s = await suite.central.station();
    const op = outbox();
    const accept = (n: number, subItemCode: string, steps: string[], totalFen: number | null) =>
      op(
        'case.accepted',
        {
          id: uuidv7(),
          caseNo: `${s.code}-20260302-000${n}`,
          subItemCode,
          personId: null,
          employerId: null,
          form: {},
          materials: [],
          steps: steps as ['accept'],
          at: '2026-03-02T02:00:00.000Z',
          amounts: totalFen === null ? null : { totalFen },
        },
        { operatorId: s.operators.teller },
      );
    const res = await suite.central.client.push(s.device, [
      accept(1, 'C1', ['accept', 'complete', 'deliver'], 12_000),
      accept(2, 'C1', ['accept', 'complete', 'deliver'], null),
      accept(3, 'D1', ['accept', 'submit_for_review'], null),
    ]);
    expect(res.status).toBe(200);
    return s;
  }

  const close = async (device: Parameters<Central['client']['dayClose']>[0], body: Parameters<Central['client']['dayClose']>[1]) => {
    const res = await suite.central.client.dayClose(device, body);
    if (!res.ok) throw new Error(JSON.stringify(res.body));
    return res.body as DayCloseResponse;
  };

  it('answers matched when the station totals agree with what the central office applied', async () => {
    const s = await dayOfCases();
    const res = await close(s.device, {
      businessDate: '2026-03-02',
      lastSeq: 3,
      totals: [
        { operatorId: s.operators.teller, subItemCode: 'C1', count: 2, amountFen: 12_000 },
        { operatorId: s.operators.teller, subItemCode: 'D1', count: 1, amountFen: 0 },
      ],
    });
    expect(res).toMatchObject({ status: 'matched', differences: [], lastAppliedSeq: 3 });
    const pulled = await suite.central.client.pull(s.device);
    expect(pulled.ok && pulled.body.streams.station.changes.some((c) => c.entity === 'day_close')).toBe(true);
  });

  it('lists every difference per operator and sub-item when they do not agree', async () => {
    const s = await dayOfCases();
    const res = await close(s.device, {
      businessDate: '2026-03-02',
      lastSeq: 3,
      totals: [
        { operatorId: s.operators.teller, subItemCode: 'C1', count: 2, amountFen: 10_000 },
        { operatorId: s.operators.teller, subItemCode: 'E1', count: 1, amountFen: 0 },
      ],
    });
    expect(res.status).toBe('mismatched');
    expect(res.message).toContain('3项差异');
    expect(res.differences).toEqual([
      {
        operatorId: s.operators.teller,
        subItemCode: 'C1',
        station: { count: 2, amountFen: 10_000 },
        server: { count: 2, amountFen: 12_000 },
      },
      { operatorId: s.operators.teller, subItemCode: 'D1', station: { count: 0, amountFen: 0 }, server: { count: 1, amountFen: 0 } },
      { operatorId: s.operators.teller, subItemCode: 'E1', station: { count: 1, amountFen: 0 }, server: { count: 0, amountFen: 0 } },
    ]);
  });

  it('answers pending while the operations up to the frozen sequence have not all been applied', async () => {
    const s = await dayOfCases();
    const res = await close(s.device, { businessDate: '2026-03-02', lastSeq: 5, totals: [] });
    expect(res).toMatchObject({ status: 'pending', lastAppliedSeq: 3 });
    expect(res.message).toContain('第4至5号');
    await suite.central.client.push(s.device, [loginOp(4, s.operators.teller), loginOp(5, s.operators.teller)]);
    expect((await close(s.device, { businessDate: '2026-03-02', lastSeq: 5, totals: [] })).status).toBe('mismatched');
  });
});
