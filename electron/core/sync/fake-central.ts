import type { SignedRequestInit } from '#shared/sync/client';
import type { Change, OpEnvelope, OpResult, PullResponse, StreamName, StreamPage } from '#shared/sync/protocol';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import type { Core } from '../index';
import { changeDigest } from './node-crypto';

/**
 * A stand-in for the central office in the engine's unit tests: it keeps the protocol's sequence rules and serves
 * change streams with checkpoints, without signatures or a database. Tests script refusals, failures and bad pages.
 */
export function fakeCentral(options: { stationCode?: string } = {}) {
  const stationCode = options.stationCode ?? '330106001';
  const applied: OpEnvelope[] = [];
  const streams: Record<StreamName, Change[]> = { station: [], reference: [] };
  let nextChangeSeq = 1;
  const requests: { method: string; url: string; ops?: OpEnvelope[] }[] = [];
  /** Set by tests: what happens to the next requests. */
  const script = {
    down: false,
    /** Apply the push, then lose the answer. */
    loseNextAnswer: false,
    refuse: new Map<number, Pick<OpResult, 'code' | 'message'>>(),
    conflicts: new Map<number, { id: string; field: string }[]>(),
    /** Served instead of the real page once. */
    nextPull: null as PullResponse | null,
    /** Corrupts checkpoints until cleared. */
    badCheckpoint: false,
    /** Runs when the next pull arrives, before it is answered (a command committing between push and pull). */
    beforePull: null as (() => Promise<void>) | null,
  };

  const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  const serverTime = () => new Date().toISOString();

  function page(stream: StreamName, after: number, limit: number): StreamPage {
    const all = streams[stream];
    const changes = all.filter((c) => c.seq > after).slice(0, limit);
    const cursor = changes.at(-1)?.seq ?? after;
    const upTo = all.filter((c) => c.seq <= cursor);
    const checksum = upTo.reduce((sum, c) => (sum + changeDigest({ entity: c.entity, id: c.id, dataJson: c.data })) % CHECKSUM_MODULUS, 0);
    return {
      changes,
      cursor,
      hasMore: all.some((c) => c.seq > cursor),
      checkpoint: { cursor, count: upTo.length + (script.badCheckpoint ? 1 : 0), checksum },
    };
  }

  function push(ops: OpEnvelope[]) {
    const last = applied.length;
    const fresh = ops.filter((op) => op.seq > last);
    if (fresh.length > 0 && fresh[0]!.seq !== last + 1) {
      return json(409, { error: { code: 'SEQUENCE_GAP', message: '上传序号不连续', expectedSeq: last + 1, lastAppliedSeq: last } });
    }
    applied.push(...fresh);
    const results: OpResult[] = ops.map((op) => {
      const refusal = script.refuse.get(op.seq);
      if (refusal) return { seq: op.seq, opId: op.opId, outcome: 'refused', ...refusal };
      const conflicts = script.conflicts.get(op.seq);
      return conflicts
        ? { seq: op.seq, opId: op.opId, outcome: 'conflicted', conflicts }
        : { seq: op.seq, opId: op.opId, outcome: 'applied' };
    });
    return json(200, { lastAppliedSeq: applied.length, results, serverTime: serverTime() });
  }

  async function send(request: SignedRequestInit): Promise<{ status: number; body: string }> {
    const body = typeof request.body === 'string' ? (JSON.parse(request.body) as { ops?: OpEnvelope[] }) : undefined;
    requests.push({ method: request.method, url: request.url, ...(body?.ops ? { ops: body.ops } : {}) });
    if (script.down) throw new Error('connect ECONNREFUSED');
    const [path = '', query = ''] = request.url.split('?');
    if (path === '/v1/enrol') {
      return json(201, {
        deviceId: '01a226d8-aeae-7066-84ac-f58293edbb61',
        station: { code: stationCode, name: '文新街道社保服务站', regionCode: '330106', kind: 'station' },
        serverTime: serverTime(),
      });
    }
    if (path === '/v1/sync/push') {
      const answer = push(body!.ops!);
      if (script.loseNextAnswer) {
        script.loseNextAnswer = false;
        throw new Error('socket hang up');
      }
      return answer;
    }
    if (path === '/v1/sync/pull') {
      const hook = script.beforePull;
      script.beforePull = null;
      await hook?.();
      if (script.nextPull) {
        const scripted = script.nextPull;
        script.nextPull = null;
        return json(200, scripted);
      }
      const q = Object.fromEntries(query.split('&').map((kv) => kv.split('=')));
      const limit = Number(q.limit ?? 500);
      return json(200, {
        streams: { station: page('station', Number(q.station ?? 0), limit), reference: page('reference', Number(q.reference ?? 0), limit) },
        serverTime: serverTime(),
      });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: '没有这个接口' } });
  }

  return {
    send,
    script,
    applied,
    requests,
    stationCode,
    /** Appends a change to a stream, as the central office's change log does. */
    emit(stream: StreamName, entity: Change['entity'], id: string, data: unknown): Change {
      const change = { seq: nextChangeSeq++, entity, id, data: JSON.stringify(data) };
      streams[stream].push(change);
      return change;
    },
    /** A pull answer as the real one would be now, for tests that tamper with it. */
    pageNow: (cursors: Record<StreamName, number>, limit = 500): PullResponse => ({
      streams: { station: page('station', cursors.station, limit), reference: page('reference', cursors.reference, limit) },
      serverTime: serverTime(),
    }),
  };
}
export type FakeCentral = ReturnType<typeof fakeCentral>;

/**
 * Enrols a demo core with the fake (which takes any code) through its administrator. `login` signs in as a demo
 * account (password `<username>123`) at window 1.
 */
export async function enrolWithFake(core: Core) {
  const login = async (username: string): Promise<Client> => {
    const c = createClient(memoryTransport(core.connect({ kind: 'memory' })));
    await c.call('auth.login', { username, password: `${username}123`, windowNo: 1 });
    return c;
  };
  const admin = await login('admin');
  await admin.call('sync.enrol', { centralUrl: 'http://central.test', code: 'K7QM-2XPA-9R4T-ZC3B' });
  return { login, admin };
}
