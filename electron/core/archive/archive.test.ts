import { afterEach, describe, expect, it } from 'vitest';
import type { ParamsOf } from '#shared/api/contract';
import { rejection } from '../testing/api-error';
import type { startTestCore } from '../testing/fixture';
import { file, ID_NUMBER, PDF, png, rows, startWithCase } from './test-support';

let t: Awaited<ReturnType<typeof startTestCore>>;
afterEach(() => t?.dispose());

/** A D1 case with two ID card pages, reviewed and handed out. */
async function deliveredCase() {
  const started = await startWithCase();
  t = started.t;
  const { teller, kase } = started;
  await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(png(600, 400)) });
  await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(PDF) });
  const reviewer = await t.loggedIn('reviewer', 2);
  await reviewer.call('case.act', { id: kase.id, action: 'pass_review' });
  await teller.call('case.deliver', { id: kase.id });
  return { teller, kase, admin: await t.loggedIn('admin', 3) };
}

const auditActions = () => rows<{ action: string }>(t.dataDir, `SELECT action FROM audit_log WHERE action LIKE 'archive.%' ORDER BY seq`);

describe('archive volumes', () => {
  it('refuses to file a case not yet delivered', async () => {
    const started = await startWithCase();
    t = started.t;
    expect(await rejection(started.teller.call('archive.file', { caseId: started.kase.id }))).toMatchObject({
      code: 'CONFLICT',
      message: '案件尚未出件，不能归档',
    });
  });

  it('files a delivered case with a catalogue numbering its pages', async () => {
    const { teller, kase } = await deliveredCase();
    const { volume, document } = await teller.call('archive.file', { caseId: kase.id });
    expect(volume).toMatchObject({ caseNo: kase.caseNo, pages: 2, supplements: 0, sealedAt: null, documentId: document.id });
    expect(volume.applicant).toBe(`陈建国 ${ID_NUMBER.slice(0, 4)}**********${ID_NUMBER.slice(-4)}`);
    const text = JSON.stringify((await teller.call('document.get', { id: document.id })).blocks);
    expect(text).toContain('卷内目录');
    expect(text).toContain('第1–2页（2页）');
    expect(text).not.toContain(ID_NUMBER);
    expect((await teller.call('case.get', { id: kase.id })).documents.map((d) => d.kind)).toContain('archive_catalogue');
    // Printed on demand, like any counter document.
    expect(await teller.call('document.reprint', { documentId: document.id })).toMatchObject({ title: document.title });
  });

  it('seals once; a sealed volume cannot be refiled, and a later page is an audited supplement', async () => {
    const { teller, kase, admin } = await deliveredCase();
    expect(await rejection(admin.call('archive.seal', { caseId: kase.id }))).toMatchObject({ message: '案件尚未归档，不能封存' });
    await teller.call('archive.file', { caseId: kase.id });
    expect(await rejection(teller.call('archive.seal', { caseId: kase.id }))).toMatchObject({ code: 'FORBIDDEN' });
    const sealed = await admin.call('archive.seal', { caseId: kase.id });
    expect(sealed.sealedAt).toEqual(expect.any(String));
    expect(await rejection(admin.call('archive.seal', { caseId: kase.id }))).toMatchObject({ code: 'CONFLICT', message: '档案已封存' });
    expect(await rejection(teller.call('archive.file', { caseId: kase.id }))).toMatchObject({
      code: 'CONFLICT',
      message: '档案已封存，不能重新立卷',
    });

    const late = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(png(300, 200)) });
    expect(late).toMatchObject({ supplement: true, seq: 3 });
    expect(await rejection(teller.call('pages.remove', { pageId: late.id }))).toMatchObject({ code: 'CONFLICT' });
    const [found] = await admin.call('archive.search', { caseNo: kase.caseNo });
    expect(found).toMatchObject({ pages: 2, supplements: 1, documentId: sealed.documentId });
    expect(auditActions().map((a) => a.action)).toEqual(['archive.file', 'archive.seal', 'archive.supplement']);
  });

  it('finds volumes by person, case number, item and period', async () => {
    const { teller, kase } = await deliveredCase();
    await teller.call('archive.file', { caseId: kase.id });
    const search = async (q: ParamsOf<'archive.search'>) => (await teller.call('archive.search', q)).map((v) => v.caseNo);
    expect(await search({ party: '陈建' })).toEqual([kase.caseNo]);
    expect(await search({ party: ID_NUMBER })).toEqual([kase.caseNo]);
    expect(await search({ party: '李四' })).toEqual([]);
    expect(await search({ caseNo: kase.caseNo.toLowerCase() })).toEqual([kase.caseNo]);
    expect(await search({ itemCode: 'D1' })).toEqual([kase.caseNo]);
    expect(await search({ itemCode: 'C2' })).toEqual([]);
    expect(await search({ from: '2026-11-27', to: '2026-11-27' })).toEqual([kase.caseNo]);
    expect(await search({ from: '2026-11-28' })).toEqual([]);
  });
});
