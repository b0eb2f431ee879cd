import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { pushOk, randomFile, stationWithCase } from '../testing/archive';
import { BACKENDS, outbox } from '../testing/central';
import { centralSuite } from '../testing/suite';

const at = '2026-03-05T02:00:00.000Z';

describe.each(BACKENDS)('archive operations on %s', (backend) => {
  const suite = centralSuite(backend);
  const pageRow = (id: string) => suite.db.store.db.selectFrom('page').selectAll().where('id', '=', id).executeTakeFirst();
  const volumeRow = (caseId: string) =>
    suite.db.store.db.selectFrom('archive_volume').selectAll().where('case_id', '=', caseId).executeTakeFirst();

  it('records a page attached to a case of the station, and marks it when the station removes it', async () => {
    const c = await stationWithCase(suite.central);
    const file = randomFile(1000);
    const pageId = await c.attach(file, 'PROOF', 'application/pdf');
    expect(await pageRow(pageId)).toMatchObject({
      case_id: c.caseId,
      station_code: c.s.code,
      material_code: 'PROOF',
      sha256: file.sha256,
      size: 1000,
      mime: 'application/pdf',
      seq: 1,
      removed_at: null,
    });
    const removed = await c.remove(pageId);
    expect(removed.results[0]).toMatchObject({ outcome: 'applied' });
    const row = await pageRow(pageId);
    expect(row?.removed_at).not.toBeNull();
    // Removed once is removed: a second removal changes nothing.
    await c.remove(pageId);
    expect((await pageRow(pageId))?.removed_at).toBe(row?.removed_at);
  });

  it('refuses pages of unknown cases, of other stations, of materials the case lacks, twice the same page, and by a non-teller', async () => {
    const c = await stationWithCase(suite.central);
    const other = await stationWithCase(suite.central);
    const file = randomFile(500);
    const page = (caseId: string, materialCode = 'ID', pageId = uuidv7()) => ({
      pageId,
      caseId,
      materialCode,
      sha256: file.sha256,
      size: file.size,
      mime: 'image/jpeg' as const,
      seq: 1,
      at,
    });
    const pageId = uuidv7();
    const res = await pushOk(suite.central, c.s.device, [
      c.op('case.page_attached', page(uuidv7()), c.teller),
      c.op('case.page_attached', page(other.caseId), c.teller),
      c.op('case.page_attached', page(c.caseId, 'NOT_A_MATERIAL'), c.teller),
      c.op('case.page_attached', page(c.caseId, 'ID', pageId), c.teller),
      c.op('case.page_attached', page(c.caseId, 'ID', pageId), c.teller),
      c.op('case.page_attached', page(c.caseId), { operatorId: c.s.operators.reviewer }),
      c.op('case.page_removed', { pageId: uuidv7(), caseId: c.caseId, at }, c.teller),
      c.op('case.page_removed', { pageId, caseId: other.caseId, at }, c.teller),
    ]);
    expect(res.results.map((r) => r.outcome === 'refused' && r.code)).toEqual([
      'CASE_UNKNOWN',
      'OUT_OF_SCOPE',
      'INVALID_PAYLOAD',
      false,
      'RECORD_EXISTS',
      'OPERATOR_ROLE',
      'RECORD_UNKNOWN',
      'OUT_OF_SCOPE',
    ]);
    const rows = await suite.db.store.db.selectFrom('page').select('id').where('sha256', '=', file.sha256).execute();
    expect(rows).toEqual([{ id: pageId }]);
    expect((await pageRow(pageId))?.removed_at).toBeNull();
  });

  it('refuses pages and volumes from a central workstation', async () => {
    const c = await stationWithCase(suite.central);
    const office = await suite.central.station({ region: '330100', kind: 'central' });
    const file = randomFile(10);
    const res = await pushOk(suite.central, office.device, [
      outbox()(
        'case.page_attached',
        { pageId: uuidv7(), caseId: c.caseId, materialCode: 'ID', sha256: file.sha256, size: 10, mime: 'image/jpeg', seq: 1, at },
        { operatorId: office.operators.teller },
      ),
    ]);
    expect(res.results[0]).toMatchObject({ outcome: 'refused', code: 'OUT_OF_SCOPE' });
  });

  it('keeps the volume as the station files and seals it, refusing what a sealed or unfiled volume cannot take', async () => {
    const c = await stationWithCase(suite.central);
    const admin = { operatorId: c.s.operators.admin };
    const documentId = uuidv7();
    const refiled = uuidv7();
    const res = await pushOk(suite.central, c.s.device, [
      c.op('archive.sealed', { caseId: c.caseId, at }, admin),
      c.op('archive.filed', { caseId: c.caseId, documentId, pageCount: 2, at }, c.teller),
      c.op('archive.filed', { caseId: c.caseId, documentId: refiled, pageCount: 3, at }, admin),
      c.op('archive.sealed', { caseId: c.caseId, at }, c.teller),
      // The station's scheduler seals as the system.
      c.op('archive.sealed', { caseId: c.caseId, at }, { operatorId: null }),
      c.op('archive.sealed', { caseId: c.caseId, at }, admin),
      c.op('archive.filed', { caseId: c.caseId, documentId, pageCount: 2, at }, c.teller),
      c.op('archive.filed', { caseId: c.caseId, documentId, pageCount: 2, at }, { operatorId: null }),
    ]);
    expect(res.results.map((r) => (r.outcome === 'refused' ? r.code : r.outcome))).toEqual([
      'CASE_REFUSED',
      'applied',
      'applied',
      'OPERATOR_ROLE',
      'applied',
      'CASE_REFUSED',
      'CASE_REFUSED',
      'UNKNOWN_OPERATOR',
    ]);
    expect(res.results[0]?.message).toContain('尚未归档');
    expect(res.results[6]?.message).toContain('已封存');
    expect(await volumeRow(c.caseId)).toMatchObject({
      station_code: c.s.code,
      document_id: refiled,
      page_count: 3,
      filed_at: at,
      filed_by: c.s.operators.admin,
      sealed_at: at,
      sealed_by: null,
    });
  });

  it('applies a batch sent again only once', async () => {
    const c = await stationWithCase(suite.central);
    const file = randomFile(10);
    const pageId = uuidv7();
    const batch = [
      c.op(
        'case.page_attached',
        { pageId, caseId: c.caseId, materialCode: 'ID', sha256: file.sha256, size: 10, mime: 'image/jpeg', seq: 1, at },
        c.teller,
      ),
      c.op('archive.filed', { caseId: c.caseId, documentId: uuidv7(), pageCount: 1, at }, c.teller),
    ];
    const first = await pushOk(suite.central, c.s.device, batch);
    const again = await pushOk(suite.central, c.s.device, batch);
    expect(again.results).toEqual(first.results);
    expect(first.results.every((r) => r.outcome === 'applied')).toBe(true);
    const rows = await suite.db.store.db.selectFrom('page').select('id').where('case_id', '=', c.caseId).execute();
    expect(rows).toEqual([{ id: pageId }]);
  });
});
