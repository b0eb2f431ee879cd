import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Client } from '#shared/transport/client';
import { rejection } from '../testing/api-error';
import { declaredSize, preparePage, sniffMime } from './page-image';
import { pageFiles, PageIntegrityError, sha256Hex } from './page-files';
import { coresPerTest, file, PDF, png, rows, type TestCore } from './test-support';

const cores = coresPerTest();

describe('page images', () => {
  it('recognises the type from the bytes, whatever the name says', () => {
    expect(sniffMime(png(4, 4))).toBe('image/png');
    expect(sniffMime(PDF)).toBe('application/pdf');
    expect(sniffMime(Buffer.from('<html>'))).toBeNull();
  });

  it('scales a 3000×2000 PNG down to a 2000 px JPEG', async () => {
    const out = await preparePage(png(3000, 2000));
    expect(out).toMatchObject({ mime: 'image/jpeg', width: 2000, height: 1333 });
    expect(sniffMime(out.bytes)).toBe('image/jpeg');
    expect(declaredSize(out.bytes, 'image/jpeg')).toEqual({ width: 2000, height: 1333 });
  });

  it('keeps a PDF byte for byte and refuses a picture that claims too many pixels', async () => {
    expect((await preparePage(PDF)).bytes.equals(PDF)).toBe(true);
    const huge = png(2, 2);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    await expect(preparePage(huge)).rejects.toThrow('图片像素过大');
  });
});

describe('page files', () => {
  it('stores a content once under its hash, leaves no temporary file, and detects tampering on read', async () => {
    const t = await cores.core();
    const files = pageFiles(t.dataDir);
    const bytes = Buffer.from('%PDF-1.4 same bytes');
    const sha = files.write(bytes, 'application/pdf');
    expect(files.write(bytes, 'application/pdf')).toBe(sha);
    expect(sha).toBe(sha256Hex(bytes));
    expect(readdirSync(join(files.root, sha.slice(0, 2)))).toEqual([`${sha}.pdf`]);
    expect(files.read(sha, 'application/pdf').equals(bytes)).toBe(true);

    writeFileSync(files.pathOf(sha, 'application/pdf'), '%PDF-1.4 changed');
    expect(() => files.read(sha, 'application/pdf')).toThrow(PageIntegrityError);
    // Storing the good bytes again repairs the file.
    files.write(bytes, 'application/pdf');
    expect(files.read(sha, 'application/pdf').equals(bytes)).toBe(true);
  });
});

describe('pages of a case', () => {
  it('attaches pages per material in order, as one command with its audit entry and outbox operation', async () => {
    const { t, teller, kase } = await cores.withCase();
    const first = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(png(3000, 2000)) });
    expect(first).toMatchObject({
      materialCode: 'ID',
      seq: 1,
      mime: 'image/jpeg',
      width: 2000,
      height: 1333,
      attachedByName: expect.any(String),
    });
    const second = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(PDF, 'back.jpg', 'image/jpeg') });
    expect(second).toMatchObject({ seq: 2, mime: 'application/pdf', size: PDF.length });

    expect((await teller.call('pages.list', { caseId: kase.id })).map((p) => [p.materialCode, p.seq])).toEqual([
      ['ID', 1],
      ['ID', 2],
    ]);
    const ops = rows<{ type: string; payload: string }>(
      t.dataDir,
      `SELECT type, payload FROM outbox WHERE type = 'case.page_attached' ORDER BY seq`,
    );
    expect(ops.map((o) => JSON.parse(o.payload) as unknown)).toEqual([
      expect.objectContaining({ pageId: first.id, sha256: first.sha256, size: first.size, mime: 'image/jpeg', materialCode: 'ID' }),
      expect.objectContaining({ pageId: second.id, mime: 'application/pdf' }),
    ]);
    const audit = rows<{ action: string; after_json: string }>(
      t.dataDir,
      `SELECT action, after_json FROM audit_log WHERE action = 'case.page_attach'`,
    );
    expect(audit).toHaveLength(2);
    // The renamed PDF is accepted by its content; the claim is kept.
    expect(JSON.parse(audit[1]!.after_json)).toMatchObject({ claimedMime: 'image/jpeg', mime: 'application/pdf' });
  });

  it('stores the same page once when it is attached twice', async () => {
    const { t, teller, kase } = await cores.withCase();
    const bytes = png(800, 600);
    const a = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(bytes) });
    const b = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'PROOF', file: file(bytes) });
    expect(b.sha256).toBe(a.sha256);
    expect(rows(t.dataDir, `SELECT * FROM page_blob`)).toHaveLength(1);
    expect(readdirSync(join(t.dataDir, 'pages', a.sha256.slice(0, 2)))).toEqual([`${a.sha256}.jpg`]);
  });

  it('serves verified bytes to any staff member, and reports a page changed on disk instead of showing it', async () => {
    const { t, teller, kase } = await cores.withCase();
    const page = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(png(400, 300)) });
    const reviewer = await t.loggedIn('reviewer', 2);
    expect((await reviewer.call('pages.list', { caseId: kase.id })).map((p) => p.id)).toEqual([page.id]);
    const got = await reviewer.call('pages.get', { pageId: page.id });
    expect(got.dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(sha256Hex(Buffer.from(got.dataUrl.split(',')[1]!, 'base64'))).toBe(page.sha256);

    const path = pageFiles(t.dataDir).pathOf(page.sha256, 'image/jpeg');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]));
    const err = await rejection(reviewer.call('pages.get', { pageId: page.id }));
    expect(err).toMatchObject({ code: 'CONFLICT', reason: 'page_corrupt' });
    expect(err.message).toContain('校验失败');
    expect(t.logger.lines.some((l) => l.level === 'error' && l.msg.endsWith('page failed its hash'))).toBe(true);
  });

  it('refuses what is not a page, a material not of the case, and callers without the teller role', async () => {
    const { t, teller, kase } = await cores.withCase();
    expect(
      (await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(Buffer.from('MZ...'), 'a.png') })))
        .message,
    ).toContain('只能导入JPEG、PNG图片或PDF文件');
    expect(await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'NOPE', file: file(PDF) }))).toMatchObject({
      code: 'VALIDATION',
      message: '材料编码NOPE不属于该案件',
    });
    expect(await rejection(teller.call('pages.attach', { caseId: 'missing', materialCode: 'ID', file: file(PDF) }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const big = file(Buffer.alloc(800 * 1024, 1));
    expect((await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: big }))).message).toContain(
      '文件超过',
    );
    const reviewer = await t.loggedIn('reviewer', 2);
    expect(await rejection(reviewer.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(PDF) }))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('removes a page while the case is not delivered, audited, and refuses afterwards', async () => {
    const { t, teller, kase } = await cores.withCase();
    const page = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(PDF) });
    await teller.call('pages.remove', { pageId: page.id });
    expect(await teller.call('pages.list', { caseId: kase.id })).toEqual([]);
    expect(rows(t.dataDir, `SELECT * FROM audit_log WHERE action = 'case.page_remove'`)).toHaveLength(1);
    const removed = rows<{ payload: string }>(t.dataDir, `SELECT payload FROM outbox WHERE type = 'case.page_removed'`);
    expect(removed.map((r) => JSON.parse(r.payload) as unknown)).toEqual([{ pageId: page.id, caseId: kase.id, at: expect.any(String) }]);
    expect(await rejection(teller.call('pages.get', { pageId: page.id }))).toMatchObject({ code: 'NOT_FOUND' });

    // Through review and pickup to delivery: the pages are now part of the record.
    const kept = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(PDF) });
    expect(kept.seq).toBe(2);
    await deliver(t, teller, kase.id);
    expect(await rejection(teller.call('pages.remove', { pageId: kept.id }))).toMatchObject({
      code: 'CONFLICT',
      message: '案件已出件，材料影像不能再删除',
    });
  });
});

async function deliver(t: TestCore, teller: Client, caseId: string) {
  const reviewer = await t.loggedIn('reviewer', 2);
  await reviewer.call('case.act', { id: caseId, action: 'pass_review' });
  await teller.call('case.deliver', { id: caseId });
}

describe('image compression setting (影像压缩)', () => {
  it('stores new pages at the size and quality the administrator sets, audited, and refuses values out of range', async () => {
    const { t, teller, kase } = await cores.withCase();
    const admin = await t.loggedIn('admin', 3);
    expect((await admin.call('archive.settings', {})).compression).toEqual({ maxLongSide: 2000, jpegQuality: 80 });
    const picture = file(png(3000, 2000));
    const before = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: picture });
    expect([before.width, before.height]).toEqual([2000, 1333]);

    const settings = await admin.call('archive.setCompression', { maxLongSide: 1200, jpegQuality: 60 });
    expect(settings.compression).toEqual({ maxLongSide: 1200, jpegQuality: 60 });
    const after = await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: picture });
    expect([after.width, after.height]).toEqual([1200, 800]);
    expect(after.size).toBeLessThan(before.size);
    expect(
      rows<{ before_json: string; after_json: string }>(
        t.dataDir,
        "SELECT before_json, after_json FROM audit_log WHERE action = 'archive.compression'",
      ),
    ).toEqual([
      {
        before_json: JSON.stringify({ maxLongSide: 2000, jpegQuality: 80 }),
        after_json: JSON.stringify({ maxLongSide: 1200, jpegQuality: 60 }),
      },
    ]);

    expect(await rejection(admin.call('archive.setCompression', { maxLongSide: 500, jpegQuality: 80 }))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('长边不能小于1000像素'),
    });
    expect(await rejection(teller.call('archive.setCompression', { maxLongSide: 3000, jpegQuality: 90 }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await admin.call('archive.settings', {})).compression).toEqual({ maxLongSide: 1200, jpegQuality: 60 });
  });
});
