import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, testDatabase } from '../testing/central';
import { insertRows } from './bulk';

const COLUMNS = {
  stream: 'text',
  scope: 'text',
  entity: 'text',
  entity_id: 'text',
  data: 'json',
  digest: 'bigint',
  cum_count: 'bigint',
  cum_checksum: 'bigint',
  at: 'text',
} as const;

// JSON texts as JSON.stringify writes them, with what the transport must keep byte for byte.
const TEXTS = [
  JSON.stringify({ name: '王"小"明\\', note: 'tab\there\nline', control: '\u0001\u0000', emoji: '👩‍⚕️' }),
  '{}',
  JSON.stringify(['', null, 0]),
  JSON.stringify('a text alone'),
];

describe.each(BACKENDS)('multi-row inserts on %s', (backend) => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(async () => db?.dispose());

  it('stores JSON columns byte for byte, NULL as NULL, and every row in order', async () => {
    const rows = TEXTS.map((data, i) => ({
      stream: 'station',
      scope: `s${i}`,
      entity: 'case',
      entity_id: `id-${i}`,
      data,
      digest: 4294967295 - i,
      cum_count: i + 1,
      cum_checksum: i,
      at: '2026-03-02T09:00:00.000Z',
    }));
    expect(await insertRows(db.store.db, backend, 'change', COLUMNS, rows)).toBe(rows.length);
    const back = await db.store.db.selectFrom('change').select(['entity_id', 'data', 'digest']).orderBy('seq').execute();
    expect(back).toEqual(rows.map((r) => ({ entity_id: r.entity_id, data: r.data, digest: r.digest })));

    const opLog = {
      op_id: 'text',
      device_id: 'text',
      seq: 'bigint',
      station_code: 'text',
      type: 'text',
      payload: 'json',
      device_at: 'text',
      received_at: 'text',
      outcome: 'text',
      conflicts: 'json',
    } as const;
    const ops = [null, '{"a":1}', null].map((conflicts, i) => ({
      op_id: `op-${i}`,
      device_id: 'd',
      seq: i + 1,
      station_code: '330106001',
      type: 'operator.login',
      payload: '{}',
      device_at: '',
      received_at: '',
      outcome: 'applied' as const,
      conflicts,
    }));
    await insertRows(db.store.db, backend, 'op_log', opLog, ops);
    const held = await db.store.db.selectFrom('op_log').select(['op_id', 'conflicts']).orderBy('seq').execute();
    expect(held).toEqual(ops.map((o) => ({ op_id: o.op_id, conflicts: o.conflicts })));
  });
});
