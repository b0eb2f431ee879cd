/**
 * The victim of the crash test (../crash.test.ts), run as `node --import tsx command-burst.ts <data folder> <first
 * round>`: opens a real demo-seeded core there (seeding only an empty store), logs a teller in and runs
 * person.create and case.accept commands back to back until it is killed. A line `ack <kind> <id>` is written only
 * after the call has returned, that is after its transaction committed, so every line the parent reads names a
 * command that must survive the kill. Rounds number the persons, so a restart continues with new ID numbers.
 */
import type { ParamsOf } from '#shared/api/contract';
import { startTestCore } from '../../testing/fixture';
import { makeIdNumber } from '../../testing/id-numbers';

/** Safety stop should the parent never kill us; the test kills long before this. */
const MAX_ROUNDS_PER_RUN = 5000;
const NAMES = ['陈建国', '王秀英', '李志强', '张丽华', '刘洋', '欧阳晓明'];

/** The three ways an acceptance goes, so every kind of row a case command writes is in the burst. */
const SUBMISSIONS: ((personId: string, round: number) => ParamsOf<'case.accept'>)[] = [
  // N2, immediate level 1: case, three events and a completion voucher.
  (personId, round) => ({
    subItemCode: 'N2',
    personId,
    materials: [
      { code: 'ID', status: 'received' },
      { code: 'CARD', status: 'received' },
    ],
    form: { cardNumber: `A${String(round).padStart(8, '0')}` },
  }),
  // D1, level 2: case, two events, an acceptance receipt with a promised date.
  (personId) => ({
    subItemCode: 'D1',
    personId,
    materials: [
      { code: 'ID', status: 'received' },
      { code: 'PROOF', status: 'data_check' },
    ],
    form: { changedField: 'name', oldValue: '旧名', newValue: '新名' },
  }),
  // I1 with materials missing: no case, only the one-time notice.
  (personId) => ({ subItemCode: 'I1', personId, materials: [{ code: 'HEIRID', status: 'received' }], form: {} }),
];

const ack = (kind: 'person' | 'case' | 'notice', id: string) => process.stdout.write(`ack ${kind} ${id}\n`);

const [dataDir, first] = process.argv.slice(2);
if (!dataDir || !first) throw new Error('usage: command-burst.ts <data folder> <first round>');
const t = await startTestCore({ dataDir });
const teller = await t.loggedIn('teller', 1);
process.stdout.write('ready\n');

for (let round = Number(first); round < Number(first) + MAX_ROUNDS_PER_RUN; round++) {
  // One person per round, each with a distinct valid ID number: 1000 sequence numbers per birth date.
  const birth = new Date(Date.UTC(1970, 0, 1 + Math.floor(round / 1000))).toISOString().slice(0, 10);
  const person = await teller.call('person.create', {
    idNumber: makeIdNumber('330106', birth, round % 1000),
    name: NAMES[round % NAMES.length]!,
    phone: `138${String(round).padStart(8, '0')}`,
  });
  ack('person', person.id);
  const r = await teller.call('case.accept', SUBMISSIONS[round % SUBMISSIONS.length]!(person.id, round));
  if (r.outcome === 'accepted') ack('case', r.case.id);
  else ack('notice', r.documents[0]!.id);
}
t.core.close();
