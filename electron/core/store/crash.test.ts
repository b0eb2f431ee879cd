import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/verify';
import { DEMO_ACCOUNTS } from '../demo/seed';
import { STORE_FILE } from '../index';
import { tempDir } from '../testing/fixture';
import { openStore } from './open';

/**
 * A crash at any instant loses no acknowledged command and leaves no half of one: a child process runs a burst of
 * real commands (testing/command-burst.ts) and is killed with SIGKILL at a random moment, the store is reopened and
 * checked row by row, and the next child carries on in the same store, crash after crash.
 *
 * SIGKILL stops the process, not the machine: the operating system still writes out what it was given, so this
 * proves atomicity and recovery of the WAL, not the fsync that synchronous=FULL adds against a power cut.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BURST = fileURLToPath(new URL('./testing/command-burst.ts', import.meta.url));

type Kind = 'person' | 'case' | 'notice';
interface Ack {
  kind: Kind;
  id: string;
}
/**
 * When to kill: a time after spawning (the store may not even exist yet), or a time after the child said it is
 * ready. Timer jitter spreads the second kind over every phase of a command; killing on reading an
 * acknowledgement would not, as it always lands at the start of the next command.
 */
type Moment = { afterMs: number } | { afterReadyMs: number };

const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
// A child is ready (store open, demo seeded, teller logged in) 1–1.5 s after spawning and then acknowledges one or two
// commands per millisecond. Most kills land early in a burst: what matters is the phase of the command cut off, and
// each kill costs a restart.
const MOMENTS: Moment[] = [
  { afterMs: between(0, 500) }, // before or while the store is created and migrated
  { afterMs: between(500, 1500) }, // demo seed, login
  ...Array.from({ length: 10 }, () => ({ afterReadyMs: between(0, 150) })),
  { afterMs: between(0, 1200) }, // a restart cut off while it recovers the WAL left by the previous kill
  { afterReadyMs: between(500, 1500) },
];
const label = (m: Moment) => ('afterMs' in m ? `${m.afterMs} ms after spawning` : `${m.afterReadyMs} ms into the burst`);

function burstUntilKilled(
  dataDir: string,
  firstRound: number,
  moment: Moment,
): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BURST, dataDir, String(firstRound)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = () => child.kill('SIGKILL');
    let timer = 'afterMs' in moment ? setTimeout(kill, moment.afterMs) : undefined;
    const acks: Ack[] = [];
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const [tag, kind, id] = line.split(' ');
        if (tag === 'ready' && 'afterReadyMs' in moment) timer = setTimeout(kill, moment.afterReadyMs);
        if (tag === 'ack') acks.push({ kind: kind as Kind, id: id! });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close' comes after stdout is drained: acknowledgements written just before the kill are counted too.
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ acks, signal, stderr });
    });
  });
}

/** The outbox operation each action of the burst writes with its audit entry. */
const OUTBOX_TYPE: Record<string, string> = {
  'demo.seed': 'station.updated',
  'auth.login': 'operator.login',
  'person.create': 'person.created',
  'case.accept': 'case.accepted',
  'case.notice': 'case.notice_issued',
};
/** For each kind of domain row: its rows, the outbox type naming it and where in the payload. */
const DOMAIN: Record<Kind, { rows: string; outboxType: string; idPath: string }> = {
  person: { rows: 'SELECT id FROM person', outboxType: 'person.created', idPath: 'id' },
  case: { rows: 'SELECT id FROM case_file', outboxType: 'case.accepted', idPath: 'id' },
  notice: { rows: 'SELECT id FROM document WHERE case_id IS NULL', outboxType: 'case.notice_issued', idPath: 'documentId' },
};
const KINDS = Object.keys(DOMAIN) as Kind[];

interface AuditRow {
  seq: number;
  action: string;
  entity_id: string | null;
  at: string;
}
interface OutboxRow {
  seq: number;
  type: string;
  payload: string;
  created_at: string;
}

const sorted = (ids: string[]) => [...ids].sort();

/**
 * Checks every invariant of a store in which a command may have been cut off, and that every acknowledged command
 * is there; returns the number of commands. `context` names the kill in failure messages.
 */
function checkStore(db: Database, acks: Ack[], context: string): number {
  const audit = db.prepare<[], AuditRow>('SELECT seq, action, entity_id, at FROM audit_log ORDER BY seq').all();
  const outbox = db.prepare<[], OutboxRow>('SELECT seq, type, payload, created_at FROM outbox ORDER BY seq').all();
  const n = outbox.length;

  // Gap-free 1..N on both sides, and the chain holds.
  expect(
    outbox.map((o) => o.seq),
    `${context}: outbox seqs`,
  ).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(
    audit.map((a) => a.seq),
    `${context}: audit seqs`,
  ).toEqual(outbox.map((o) => o.seq));
  expect(verifyAuditChain(db), context).toMatchObject({ ok: true, entries: n });

  // One command = one audit entry + one outbox operation, committed together: the k-th of each belong together.
  const named: Record<Kind, string[]> = { person: [], case: [], notice: [] };
  const steps = new Map<string, number>();
  for (const [i, a] of audit.entries()) {
    const o = outbox[i]!;
    // Same seq and same instant for every command; the exact operation type for the commands of the burst.
    expect({ seq: a.seq, type: o.type, at: o.created_at }, context).toEqual({
      seq: a.seq,
      type: OUTBOX_TYPE[a.action] ?? o.type,
      at: a.at,
    });
    const payload = JSON.parse(o.payload) as Record<string, unknown>;
    const kind = KINDS.find((k) => DOMAIN[k].outboxType === o.type);
    if (!kind) continue;
    const id = payload[DOMAIN[kind].idPath] as string;
    named[kind].push(id);
    if (kind !== 'notice') expect(a.entity_id, `${context}: audit entry ${a.seq}`).toBe(id);
    if (kind === 'case') steps.set(id, (payload.steps as string[]).length);
  }

  // Every domain row has exactly its command's entries, and every such entry its row.
  for (const kind of KINDS) {
    expect(sorted(named[kind]), `${context}: ${kind} rows`).toEqual(sorted(db.prepare(DOMAIN[kind].rows).pluck().all() as string[]));
  }
  // A case is whole: one event per step, one document, and its number drawn from the counter.
  const cases = db
    .prepare<[], { id: string; events: number; documents: number }>(
      `SELECT c.id, (SELECT COUNT(*) FROM case_event e WHERE e.case_id = c.id) AS events,
              (SELECT COUNT(*) FROM document d WHERE d.case_id = c.id) AS documents
         FROM case_file c`,
    )
    .all();
  expect(cases, `${context}: case events and documents`).toEqual(cases.map((c) => ({ id: c.id, events: steps.get(c.id), documents: 1 })));
  expect(db.prepare('SELECT COALESCE(SUM(last_seq), 0) FROM case_counter').pluck().get(), `${context}: case numbers`).toBe(cases.length);
  // The demo seed is one command too: station and accounts exist together with its entry, or not at all.
  const seeded = audit.filter((a) => a.action === 'demo.seed').length;
  const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();
  expect([count('station'), count('operator')], `${context}: demo seed`).toEqual([seeded, DEMO_ACCOUNTS.length * seeded]);

  for (const kind of KINDS) {
    const present = new Set(named[kind]);
    expect(
      acks.filter((a) => a.kind === kind && !present.has(a.id)),
      `${context}: acknowledged ${kind} commands missing`,
    ).toEqual([]);
  }
  return n;
}

let dataDir: string | undefined;
afterAll(() => dataDir && rmSync(dataDir, { recursive: true, force: true }));

describe('a crash at any instant', () => {
  it(`loses no acknowledged command and leaves no partial one, ${MOMENTS.length} kills in a row`, { timeout: 90_000 }, async () => {
    dataDir = tempDir('yichuang-crash-');
    const acked: Ack[] = [];
    let persons = 0;
    for (const [i, moment] of MOMENTS.entries()) {
      const context = `kill ${i + 1} of ${MOMENTS.length}, ${label(moment)}`;
      const run = await burstUntilKilled(dataDir, persons, moment);
      expect(run.signal, `${context}: the burst ended before it was killed:\n${run.stderr}`).toBe('SIGKILL');
      acked.push(...run.acks);

      const db = openStore(join(dataDir, STORE_FILE));
      try {
        const commands = checkStore(db, acked, context);
        expect(commands, context).toBeGreaterThanOrEqual(acked.length);
        persons = db.prepare('SELECT COUNT(*) FROM person').pluck().get() as number;
      } finally {
        db.close();
      }
    }
    // The bursts got going: a run of kills that all landed before the first command would prove little.
    expect(acked.length).toBeGreaterThan(MOMENTS.length);
  });
});
