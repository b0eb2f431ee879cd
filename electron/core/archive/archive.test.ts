import { afterEach, describe, expect, it } from 'vitest';
import type { ParamsOf } from '#shared/api/contract';
import { creditCodeCheckCharacter } from '#shared/domain/identity/credit-code';
import { OPERATION_SCHEMAS } from '#shared/sync/operations';
import type { Client } from '#shared/transport/client';
import { rejection } from '../testing/api-error';
import { manualClock, type startTestCore } from '../testing/fixture';
import { manualTimers } from '../sync/manual-timers';
import { AUTO_SEAL_CHECK_MS } from './archive-schedule';
import { file, ID_NUMBER, PDF, png, rows, startWithCase } from './test-support';

let t: Awaited<ReturnType<typeof startTestCore>>;
afterEach(() => t?.dispose());

const DAY = 86_400_000;
const START = new Date('2026-11-27T10:00:00+08:00');
const CREDIT_CODE = '91330106MA2ABCDE1' + creditCodeCheckCharacter('91330106MA2ABCDE1');

/** A D1 case with two ID card pages, reviewed and handed out. */
async function deliveredCase(options: Parameters<typeof startWithCase>[0] = {}) {
  const started = await startWithCase(options);
  t = started.t;
  const { teller, kase } = started;
  await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(png(600, 400)) });
  await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(PDF) });
  const reviewer = await t.loggedIn('reviewer', 2);
  await reviewer.call('case.act', { id: kase.id, action: 'pass_review' });
  await teller.call('case.deliver', { id: kase.id });
  return { teller, kase, admin: await t.loggedIn('admin', 3) };
}

/** J2 (单位参保证明) for an employer: one-level, handed out on the spot, kept 10 years by default. */
async function deliveredEmployerCase(teller: Client) {
  const employer = await teller.call('employer.create', {
    creditCode: CREDIT_CODE,
    name: '杭州示范科技有限公司',
    legalRep: '周某某',
    riskClass: 2,
  });
  const r = await teller.call('case.accept', {
    subItemCode: 'J2',
    employerId: employer.id,
    materials: [
      { code: 'UNITPROOF', status: 'data_check' },
      { code: 'AGENT', status: 'received' },
    ],
    form: { creditCode: CREDIT_CODE, employerName: '杭州示范科技有限公司' },
  });
  if (r.outcome !== 'accepted') throw new Error(`not accepted: ${r.outcome}`);
  if (r.case.status !== 'delivered') await teller.call('case.deliver', { id: r.case.id });
  return r.case;
}

/** Clients signed in again after the clock moved on: idle sessions lock. */
const signedInAgain = async () => ({ teller: await t.loggedIn('teller', 1), admin: await t.loggedIn('admin', 3) });

const catalogueText = async (c: Client, documentId: string) => JSON.stringify((await c.call('document.get', { id: documentId })).blocks);

interface AuditRow {
  action: string;
  operator_id: string | null;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
}
const archiveAudit = () =>
  rows<AuditRow>(
    t.dataDir,
    `SELECT action, operator_id, entity_id, before_json, after_json FROM audit_log WHERE action LIKE 'archive.%' ORDER BY seq`,
  );
const archiveOps = () =>
  rows<{ type: string; payload: string; operator_id: string | null }>(
    t.dataDir,
    `SELECT type, payload, operator_id FROM outbox WHERE type LIKE 'archive.%' ORDER BY seq`,
  ).map((o) => ({ type: o.type, operatorId: o.operator_id, payload: JSON.parse(o.payload) as Record<string, unknown> }));

describe('archive volumes', () => {
  it('refuses to file a case not yet delivered', async () => {
    const started = await startWithCase();
    t = started.t;
    expect(await rejection(started.teller.call('archive.file', { caseId: started.kase.id }))).toMatchObject({
      code: 'CONFLICT',
      message: '案件尚未出件，不能归档',
    });
  });

  it('files a delivered case with a catalogue numbering its pages and naming its retention, and queues archive.filed', async () => {
    const { teller, kase } = await deliveredCase();
    const { volume, document } = await teller.call('archive.file', { caseId: kase.id });
    expect(volume).toMatchObject({
      caseNo: kase.caseNo,
      pages: 2,
      supplements: 0,
      sealedAt: null,
      documentId: document.id,
      // D1 (个人关键信息变更) is kept for good by default.
      retentionYears: null,
      retentionUntil: null,
      expired: false,
    });
    expect(volume.applicant).toBe(`陈建国 ${ID_NUMBER.slice(0, 4)}**********${ID_NUMBER.slice(-4)}`);
    const text = await catalogueText(teller, document.id);
    expect(text).toContain('卷内目录');
    expect(text).toContain('第1–2页（2页）');
    expect(text).toContain('"label":"保管期限","value":"永久"');
    expect(text).not.toContain('保管到期');
    expect(text).not.toContain(ID_NUMBER);
    expect((await teller.call('case.get', { id: kase.id })).documents.map((d) => d.kind)).toContain('archive_catalogue');
    // Printed on demand, like any counter document.
    expect(await teller.call('document.reprint', { documentId: document.id })).toMatchObject({ title: document.title });

    const [op] = archiveOps();
    expect(op).toEqual({
      type: 'archive.filed',
      operatorId: expect.any(String),
      payload: { caseId: kase.id, documentId: document.id, pageCount: 2, at: volume.filedAt },
    });
    expect(OPERATION_SCHEMAS['archive.filed'].safeParse(op!.payload).success).toBe(true);
  });

  it('seals once; a sealed volume refuses every change through the API, and a later page is an audited supplement', async () => {
    const { teller, kase, admin } = await deliveredCase();
    expect(await rejection(admin.call('archive.seal', { caseId: kase.id }))).toMatchObject({ message: '案件尚未归档，不能封存' });
    await teller.call('archive.file', { caseId: kase.id });
    expect(await rejection(teller.call('archive.seal', { caseId: kase.id }))).toMatchObject({ code: 'FORBIDDEN' });
    const sealed = await admin.call('archive.seal', { caseId: kase.id });
    expect(sealed).toMatchObject({ sealedAt: expect.any(String), sealedByName: '赵管理' });
    expect(await rejection(admin.call('archive.seal', { caseId: kase.id }))).toMatchObject({ code: 'CONFLICT', message: '档案已封存' });
    expect(await rejection(teller.call('archive.file', { caseId: kase.id }))).toMatchObject({
      code: 'CONFLICT',
      message: '档案已封存，不能重新立卷',
    });
    // A new retention for the item applies to volumes filed later, never to a sealed one.
    await admin.call('archive.setRetention', { code: 'D1', years: 10 });
    const late = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(png(300, 200)) });
    expect(late).toMatchObject({ supplement: true, seq: 3 });
    expect(await rejection(teller.call('pages.remove', { pageId: late.id }))).toMatchObject({ code: 'CONFLICT' });
    const [found] = await admin.call('archive.search', { caseNo: kase.caseNo });
    expect(found).toMatchObject({
      pages: 2,
      supplements: 1,
      documentId: sealed.documentId,
      retentionYears: null,
      sealedAt: sealed.sealedAt,
    });
    expect(await catalogueText(admin, sealed.documentId)).toContain('"label":"保管期限","value":"永久"');
    expect(archiveAudit().map((a) => a.action)).toEqual(['archive.file', 'archive.seal', 'archive.retention', 'archive.supplement']);
    expect(archiveOps().map((o) => [o.type, o.payload])).toEqual([
      ['archive.filed', expect.objectContaining({ caseId: kase.id })],
      ['archive.sealed', { caseId: kase.id, at: sealed.sealedAt }],
    ]);
  });

  it('finds volumes by person, employer, case number, item, business or filing date and state', async () => {
    const clock = manualClock(START);
    const { kase, ...first } = await deliveredCase({ clock });
    const unit = await deliveredEmployerCase(first.teller);
    await first.teller.call('archive.file', { caseId: unit.id });
    // Filed the next day: the business date stays the 27th, the filing date is the 28th.
    clock.advance(DAY);
    const { teller, admin } = await signedInAgain();
    await teller.call('archive.file', { caseId: kase.id });
    await admin.call('archive.seal', { caseId: unit.id });
    const search = async (q: ParamsOf<'archive.search'>) => (await teller.call('archive.search', q)).map((v) => v.caseNo);
    expect(await search({})).toEqual([kase.caseNo, unit.caseNo]);
    expect(await search({ person: '陈建' })).toEqual([kase.caseNo]);
    expect(await search({ person: ID_NUMBER.toLowerCase() })).toEqual([kase.caseNo]);
    expect(await search({ person: '李四' })).toEqual([]);
    expect(await search({ employer: '示范科技' })).toEqual([unit.caseNo]);
    expect(await search({ employer: CREDIT_CODE })).toEqual([unit.caseNo]);
    expect(await search({ employer: '陈建国' })).toEqual([]);
    expect(await search({ caseNo: kase.caseNo.toLowerCase() })).toEqual([kase.caseNo]);
    expect(await search({ itemCode: 'D1' })).toEqual([kase.caseNo]);
    expect(await search({ itemCode: 'J' })).toEqual([unit.caseNo]);
    expect(await search({ itemCode: 'C2' })).toEqual([]);
    expect(await search({ from: '2026-11-27', to: '2026-11-27' })).toEqual([kase.caseNo, unit.caseNo]);
    expect(await search({ from: '2026-11-28' })).toEqual([]);
    expect(await search({ dateOf: 'filed', from: '2026-11-28', to: '2026-11-28' })).toEqual([kase.caseNo]);
    expect(await search({ dateOf: 'filed', to: '2026-11-27' })).toEqual([unit.caseNo]);
    expect(await search({ state: 'sealed' })).toEqual([unit.caseNo]);
    expect(await search({ state: 'unsealed', person: '陈建国' })).toEqual([kase.caseNo]);
    expect(await search({ state: 'expired' })).toEqual([]);
    expect(await rejection(teller.call('archive.search', { from: '2026-11-28', to: '2026-11-27' }))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('结束日期不能早于开始日期'),
    });
  });
});

describe('retention (保管期限)', () => {
  it('lists every sub-item with its default, and lets the administrator change one or a whole item, audited', async () => {
    const { admin, teller } = await deliveredCase();
    const settings = await admin.call('archive.settings', {});
    const of = (s: typeof settings, code: string) => s.retention.find((r) => r.subItemCode === code);
    expect(settings.autoSealDays).toBeNull();
    expect(of(settings, 'D1')).toEqual({
      itemCode: 'D',
      itemName: '个人参保信息维护',
      subItemCode: 'D1',
      subItemName: '个人关键信息变更',
      years: null,
      defaultYears: null,
    });
    expect(of(settings, 'K1')).toMatchObject({ years: null });
    expect(of(settings, 'E1')).toMatchObject({ years: 100 });
    expect(of(settings, 'I2')).toMatchObject({ years: 50 });
    expect(of(settings, 'J2')).toMatchObject({ years: 10 });
    expect(settings.retention.map((r) => r.subItemCode).sort()).toEqual((await admin.call('catalogue.list', {})).map((e) => e.code).sort());

    const changed = await admin.call('archive.setRetention', { code: 'D1', years: 50 });
    expect(of(changed, 'D1')).toMatchObject({ years: 50, defaultYears: null });
    // An item code sets each of its sub-items.
    const wholeItem = await admin.call('archive.setRetention', { code: 'K', years: 100 });
    expect(wholeItem.retention.filter((r) => r.itemCode === 'K').map((r) => r.years)).toEqual([100, 100, 100, 100, 100]);
    // Back to the default: the override goes.
    const reset = await admin.call('archive.setRetention', { code: 'K5', years: 10 });
    expect(of(reset, 'K5')).toMatchObject({ years: 10, defaultYears: 10 });
    expect(
      rows<{ sub_item_code: string }>(t.dataDir, 'SELECT sub_item_code FROM archive_retention ORDER BY 1').map((r) => r.sub_item_code),
    ).toEqual(['D1', 'K1', 'K2']);
    expect(of(await admin.call('archive.settings', {}), 'K3')).toMatchObject({ years: 100, defaultYears: 100 });

    const audit = archiveAudit();
    expect(audit.map((a) => [a.action, a.entity_id, JSON.parse(a.before_json!), JSON.parse(a.after_json!)])).toEqual([
      ['archive.retention', 'D1', { D1: null }, { D1: 50 }],
      ['archive.retention', 'K', { K1: null, K2: null, K3: 100, K4: 100, K5: 10 }, { K1: 100, K2: 100, K3: 100, K4: 100, K5: 100 }],
      ['archive.retention', 'K5', { K5: 100 }, { K5: 10 }],
    ]);
    expect(audit.every((a) => a.operator_id !== null)).toBe(true);
    // Station-local: nothing for the central office.
    expect(archiveOps()).toEqual([]);

    expect(await rejection(admin.call('archive.setRetention', { code: 'D1', years: 0 }))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('保管期限至少1年'),
    });
    expect(await rejection(admin.call('archive.setRetention', { code: 'D1', years: 101 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await rejection(admin.call('archive.setRetention', { code: 'D1', years: 2.5 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await rejection(admin.call('archive.setRetention', { code: 'Z9', years: 10 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(teller.call('archive.setRetention', { code: 'D1', years: 10 }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(teller.call('archive.settings', {}))).toMatchObject({ code: 'FORBIDDEN' });
    expect(archiveAudit()).toHaveLength(3);
  });

  it('files under the retention in force, prints it with its last year, and lists the volume as 已到期 once that year is over', async () => {
    const clock = manualClock(START);
    const { teller, kase, admin } = await deliveredCase({ clock });
    await admin.call('archive.setRetention', { code: 'D1', years: 50 });
    const { volume, document } = await teller.call('archive.file', { caseId: kase.id });
    expect(volume).toMatchObject({ retentionYears: 50, retentionUntil: 2076, expired: false });
    const text = await catalogueText(teller, document.id);
    expect(text).toContain('"label":"保管期限","value":"50年"');
    expect(text).toContain('"label":"保管到期","value":"2076年12月31日"');

    const unit = await deliveredEmployerCase(teller);
    const filed = await teller.call('archive.file', { caseId: unit.id });
    expect(filed.volume).toMatchObject({ retentionYears: 10, retentionUntil: 2036 });
    // Counted from 1 January 2027: still kept on the last day of 2036 (in the station's zone), due the day after.
    clock.advance(Date.parse('2036-12-31T23:59:00+08:00') - clock.now().getTime());
    const later = await signedInAgain();
    expect(await later.teller.call('archive.search', { state: 'expired' })).toEqual([]);
    clock.advance(60_000);
    const due = await later.teller.call('archive.search', { state: 'expired' });
    expect(due.map((v) => [v.caseNo, v.expired])).toEqual([[unit.caseNo, true]]);
    // Due for appraisal, never deleted: it is still there and still readable.
    expect(await later.teller.call('document.get', { id: filed.document.id })).toMatchObject({ id: filed.document.id });
    expect((await later.teller.call('archive.search', {})).map((v) => [v.caseNo, v.expired])).toEqual([
      [unit.caseNo, true],
      [kase.caseNo, false],
    ]);
  });
});

describe('sealing on schedule (自动封存)', () => {
  async function scheduled() {
    const clock = manualClock(START);
    const time = manualTimers(clock);
    const delivered = await deliveredCase({ clock, archiveTimers: time.timers });
    return { ...delivered, clock, time };
  }

  it('seals a filed volume N days after filing as the system, audited and queued like a manual seal; a sealed one is left alone', async () => {
    const { teller, kase, admin, time } = await scheduled();
    const unit = await deliveredEmployerCase(teller);
    await teller.call('archive.file', { caseId: unit.id });
    const manual = await admin.call('archive.seal', { caseId: unit.id });
    const { volume } = await teller.call('archive.file', { caseId: kase.id });

    const settings = await admin.call('archive.setAutoSeal', { afterDays: 3 });
    expect(settings.autoSealDays).toBe(3);
    expect(settings.nextCheckAt).toBe(new Date(START.getTime() + AUTO_SEAL_CHECK_MS).toISOString());
    expect(time.due()).toEqual([AUTO_SEAL_CHECK_MS]);

    time.advance(3 * DAY - 2 * AUTO_SEAL_CHECK_MS);
    const { admin: later } = await signedInAgain();
    expect((await later.call('archive.search', { caseNo: kase.caseNo }))[0]!.sealedAt).toBeNull();
    time.advance(2 * AUTO_SEAL_CHECK_MS);
    const { admin: reader } = await signedInAgain();
    const [sealed] = await reader.call('archive.search', { caseNo: kase.caseNo });
    expect(sealed).toMatchObject({ sealedByName: '系统（自动封存）' });
    expect(Date.parse(sealed!.sealedAt!) - Date.parse(volume.filedAt)).toBeGreaterThanOrEqual(3 * DAY);
    expect(Date.parse(sealed!.sealedAt!) - Date.parse(volume.filedAt)).toBeLessThan(3 * DAY + AUTO_SEAL_CHECK_MS);
    expect((await reader.call('archive.search', { caseNo: unit.caseNo }))[0]).toMatchObject({
      sealedAt: manual.sealedAt,
      sealedByName: '赵管理',
    });

    const seals = archiveAudit().filter((a) => a.action === 'archive.seal');
    expect(seals.map((a) => [a.entity_id, a.operator_id, JSON.parse(a.after_json!)])).toEqual([
      [unit.id, expect.any(String), { caseNo: unit.caseNo, pages: 0 }],
      [kase.id, null, { caseNo: kase.caseNo, pages: 2, autoSeal: { afterDays: 3 } }],
    ]);
    expect(archiveAudit().find((a) => a.action === 'archive.auto_seal')).toMatchObject({
      before_json: '{"afterDays":null}',
      after_json: '{"afterDays":3}',
    });
    const sealedOps = archiveOps().filter((o) => o.type === 'archive.sealed');
    expect(sealedOps).toEqual([
      { type: 'archive.sealed', operatorId: expect.any(String), payload: { caseId: unit.id, at: manual.sealedAt } },
      { type: 'archive.sealed', operatorId: null, payload: { caseId: kase.id, at: sealed!.sealedAt } },
    ]);
    expect(OPERATION_SCHEMAS['archive.sealed'].safeParse(sealedOps[1]!.payload).success).toBe(true);

    // Sealed for good: later checks do nothing more.
    time.advance(2 * DAY);
    expect(archiveAudit().filter((a) => a.action === 'archive.seal')).toHaveLength(2);
  });

  it('seals nothing while off, and seals at the next check once turned on with 0 days', async () => {
    const { teller, kase, admin, time } = await scheduled();
    await teller.call('archive.file', { caseId: kase.id });
    expect(await admin.call('archive.settings', {})).toMatchObject({ autoSealDays: null, nextCheckAt: null });
    time.advance(30 * DAY);
    const { admin: later } = await signedInAgain();
    expect((await later.call('archive.search', {}))[0]!.sealedAt).toBeNull();
    expect(archiveAudit().map((a) => a.action)).toEqual(['archive.file']);

    await later.call('archive.setAutoSeal', { afterDays: 0 });
    time.advance(AUTO_SEAL_CHECK_MS);
    const { admin: reader } = await signedInAgain();
    expect((await reader.call('archive.search', {}))[0]!.sealedByName).toBe('系统（自动封存）');
    await reader.call('archive.setAutoSeal', { afterDays: null });
    expect(await reader.call('archive.settings', {})).toMatchObject({ autoSealDays: null, nextCheckAt: null });
  });

  it('checks the setting and who may change it', async () => {
    const { teller, admin } = await scheduled();
    expect(await rejection(admin.call('archive.setAutoSeal', { afterDays: 366 }))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('天数不能超过365'),
    });
    expect(await rejection(admin.call('archive.setAutoSeal', { afterDays: -1 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await rejection(teller.call('archive.setAutoSeal', { afterDays: 3 }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(archiveAudit()).toEqual([]);
  });
});
