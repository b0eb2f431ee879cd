import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_FILE_MAX_BYTES, PAGE_PART_MAX_BYTES } from '#shared/api/archive';
import type { Client } from '#shared/transport/client';
import { rejection } from '../testing/api-error';
import { manualClock, tempDir } from '../testing/fixture';
import { pageFiles, sha256Hex } from './page-files';
import { STAGED_UPLOAD_MAX_AGE_MS } from './page-uploads';
import { coresPerTest, png, rows } from './test-support';

const cores = coresPerTest();

/** A PDF as a scanner makes it: a header, then bytes that do not compress. */
const bigPdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);

const part = (uploadId: string, bytes: Buffer, offset: number, length = PAGE_PART_MAX_BYTES) => ({
  uploadId,
  offset,
  dataBase64: bytes.subarray(offset, offset + length).toString('base64'),
});

/** Sends the whole file in parts, in order, checking each answer; returns its upload id. */
async function upload(teller: Client, bytes: Buffer): Promise<string> {
  const uploadId = randomUUID();
  for (let offset = 0; offset < bytes.length; offset += PAGE_PART_MAX_BYTES) {
    const { received } = await teller.call('pages.uploadPart', part(uploadId, bytes, offset));
    expect(received).toBe(Math.min(bytes.length, offset + PAGE_PART_MAX_BYTES));
  }
  return uploadId;
}

const staged = (dataDir: string) => (existsSync(join(dataDir, 'uploads')) ? readdirSync(join(dataDir, 'uploads')) : []);

describe('staged uploads of large pages', () => {
  it('files a 3 MB PDF sent in parts byte for byte, with its hash, and deletes the staged file', async () => {
    const { t, teller, kase } = await cores.withCase();
    const pdf = bigPdf(3 * 1024 * 1024);
    const uploadId = await upload(teller, pdf);
    expect(readFileSync(join(t.dataDir, 'uploads', `${uploadId}.part`)).equals(pdf)).toBe(true);

    const page = await teller.call('pages.attach', {
      caseId: kase.id,
      materialCode: 'ID',
      file: { name: '户口簿.pdf', mime: 'application/pdf', uploadId, size: pdf.length },
    });
    expect(page).toMatchObject({ mime: 'application/pdf', size: pdf.length, sha256: sha256Hex(pdf), name: '户口簿.pdf', seq: 1 });
    expect(pageFiles(t.dataDir).read(page.sha256, 'application/pdf').equals(pdf)).toBe(true);
    expect(staged(t.dataDir)).toEqual([]);
    // The same command as an inline upload: its audit entry and outbox operation.
    const ops = rows<{ payload: string }>(t.dataDir, `SELECT payload FROM outbox WHERE type = 'case.page_attached'`);
    expect(ops.map((o) => JSON.parse(o.payload) as unknown)).toEqual([expect.objectContaining({ sha256: page.sha256, size: pdf.length })]);
    expect(rows(t.dataDir, `SELECT * FROM audit_log WHERE action = 'case.page_attach'`)).toHaveLength(1);

    // Used once: attaching it again finds nothing.
    const again = { name: 'again.pdf', mime: 'application/pdf', uploadId, size: pdf.length };
    expect(await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: again }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('compresses a staged picture exactly as an inline one', async () => {
    const { teller, kase } = await cores.withCase();
    const picture = png(3000, 2000);
    const uploadId = await upload(teller, picture);
    const page = await teller.call('pages.attach', {
      caseId: kase.id,
      materialCode: 'ID',
      file: { name: 'scan.png', mime: 'image/png', uploadId, size: picture.length },
    });
    expect(page).toMatchObject({ mime: 'image/jpeg', width: 2000, height: 1333 });
  });

  it('refuses a part beyond what arrived with CONFLICT and the bytes received, where the client resumes', async () => {
    const { t, teller } = await cores.withCase();
    const pdf = bigPdf(3 * PAGE_PART_MAX_BYTES);
    const uploadId = randomUUID();
    const skipped = await rejection(teller.call('pages.uploadPart', part(uploadId, pdf, PAGE_PART_MAX_BYTES)));
    expect(skipped).toMatchObject({ code: 'CONFLICT', reason: 'upload_offset', received: 0 });
    expect(staged(t.dataDir)).toEqual([]);

    await teller.call('pages.uploadPart', part(uploadId, pdf, 0));
    const gap = await rejection(teller.call('pages.uploadPart', part(uploadId, pdf, 2 * PAGE_PART_MAX_BYTES)));
    expect(gap).toMatchObject({ code: 'CONFLICT', received: PAGE_PART_MAX_BYTES });
    // Resuming from `received` completes the file.
    for (const offset of [gap.received!, 2 * PAGE_PART_MAX_BYTES]) await teller.call('pages.uploadPart', part(uploadId, pdf, offset));
    expect(readFileSync(join(t.dataDir, 'uploads', `${uploadId}.part`)).equals(pdf)).toBe(true);
  });

  it('acknowledges a part sent again without writing it twice, and writes only the new end of an overlapping one', async () => {
    const { t, teller } = await cores.withCase();
    const pdf = bigPdf(2 * PAGE_PART_MAX_BYTES);
    const uploadId = randomUUID();
    const path = join(t.dataDir, 'uploads', `${uploadId}.part`);
    await teller.call('pages.uploadPart', part(uploadId, pdf, 0));
    // The reply was lost: the same part again.
    expect(await teller.call('pages.uploadPart', part(uploadId, pdf, 0))).toEqual({ received: PAGE_PART_MAX_BYTES });
    expect(readFileSync(path).equals(pdf.subarray(0, PAGE_PART_MAX_BYTES))).toBe(true);
    // A part that starts inside what arrived and goes past it.
    const half = PAGE_PART_MAX_BYTES / 2;
    expect(await teller.call('pages.uploadPart', part(uploadId, pdf, half))).toEqual({ received: half + PAGE_PART_MAX_BYTES });
    expect(await teller.call('pages.uploadPart', part(uploadId, pdf, half + PAGE_PART_MAX_BYTES))).toEqual({ received: pdf.length });
    expect(readFileSync(path).equals(pdf)).toBe(true);
  });

  it('refuses to attach a staged file whose size differs, keeping it so the upload can finish', async () => {
    const { teller, kase } = await cores.withCase();
    const pdf = bigPdf(PAGE_PART_MAX_BYTES + 1000);
    const uploadId = randomUUID();
    await teller.call('pages.uploadPart', part(uploadId, pdf, 0));
    const file = { name: 'a.pdf', mime: 'application/pdf', uploadId, size: pdf.length };
    const early = await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file }));
    expect(early).toMatchObject({ code: 'CONFLICT', reason: 'upload_incomplete', received: PAGE_PART_MAX_BYTES });
    expect(early.message).toContain('文件尚未上传完整');
    expect(await teller.call('pages.list', { caseId: kase.id })).toEqual([]);

    await teller.call('pages.uploadPart', part(uploadId, pdf, PAGE_PART_MAX_BYTES));
    const wrong = await rejection(
      teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: { ...file, size: pdf.length - 1 } }),
    );
    expect(wrong).toMatchObject({ code: 'CONFLICT', received: pdf.length });
    expect((await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file })).size).toBe(pdf.length);
  });

  it('refuses staged content that is no page, and drops it', async () => {
    const { t, teller, kase } = await cores.withCase();
    const html = Buffer.from('<html>'.repeat(200_000));
    const uploadId = await upload(teller, html);
    const file = { name: 'x.pdf', mime: 'application/pdf', uploadId, size: html.length };
    expect((await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file }))).message).toContain(
      '只能导入JPEG、PNG图片或PDF文件',
    );
    expect(staged(t.dataDir)).toEqual([]);
  });

  it('validates every part: the id, the offset, the data, the part size and the 64 MB cap', async () => {
    const { t, teller, kase } = await cores.withCase();
    const uploadId = randomUUID();
    const refused = async (params: { uploadId: string; offset: number; dataBase64: string }) =>
      rejection(teller.call('pages.uploadPart', params));
    const data = Buffer.from('%PDF-').toString('base64');
    for (const bad of ['../../store', 'abc', `${uploadId}/x`]) {
      expect(await refused({ uploadId: bad, offset: 0, dataBase64: data }), bad).toMatchObject({ code: 'VALIDATION' });
    }
    expect(await refused({ uploadId, offset: -1, dataBase64: data })).toMatchObject({ code: 'VALIDATION' });
    expect(await refused({ uploadId, offset: 0.5, dataBase64: data })).toMatchObject({ code: 'VALIDATION' });
    expect(await refused({ uploadId, offset: 0, dataBase64: '%%not base64%%' })).toMatchObject({ code: 'VALIDATION' });
    expect(await refused({ uploadId, offset: 0, dataBase64: '' })).toMatchObject({ code: 'VALIDATION' });
    const tooBig = randomBytes(PAGE_PART_MAX_BYTES + 1).toString('base64');
    expect((await refused({ uploadId, offset: 0, dataBase64: tooBig })).message).toBe('每段不能超过512KB');
    // A part of exactly the largest size is taken.
    expect(
      await teller.call('pages.uploadPart', { uploadId, offset: 0, dataBase64: randomBytes(PAGE_PART_MAX_BYTES).toString('base64') }),
    ).toEqual({
      received: PAGE_PART_MAX_BYTES,
    });
    const pastCap = await refused({ uploadId, offset: PAGE_FILE_MAX_BYTES - 2, dataBase64: Buffer.alloc(3).toString('base64') });
    expect(pastCap).toMatchObject({ code: 'VALIDATION', message: '文件超过64MB，不能导入' });
    const file = { name: 'a.pdf', mime: 'application/pdf', uploadId, size: PAGE_FILE_MAX_BYTES + 1 };
    expect(await rejection(teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file }))).toMatchObject({
      code: 'VALIDATION',
      message: '文件超过64MB，不能导入',
    });
    expect(staged(t.dataDir)).toEqual([`${uploadId}.part`]);
  });

  it('takes parts from tellers only, like pages.attach', async () => {
    const { t, teller, kase } = await cores.withCase();
    const pdf = bigPdf(1000);
    const uploadId = randomUUID();
    const params = part(uploadId, pdf, 0);
    expect(await rejection(t.client().call('pages.uploadPart', params))).toMatchObject({ code: 'UNAUTHENTICATED' });
    for (const role of ['reviewer', 'approver', 'admin']) {
      const other = await t.loggedIn(role, 3);
      expect(await rejection(other.call('pages.uploadPart', params)), role).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(staged(t.dataDir)).toEqual([]);
    await teller.call('pages.uploadPart', params);
    const file = { name: 'a.pdf', mime: 'application/pdf', uploadId, size: pdf.length };
    const reviewer = await t.loggedIn('reviewer', 2);
    expect(await rejection(reviewer.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(staged(t.dataDir)).toEqual([`${uploadId}.part`]);
  });

  it('removes staged files older than a day when the core starts, and keeps newer ones', async () => {
    const dataDir = tempDir();
    const clock = manualClock(new Date('2026-11-27T10:00:00+08:00'));
    const uploads = join(dataDir, 'uploads');
    mkdirSync(uploads);
    const put = (name: string, ageMs: number) => {
      writeFileSync(join(uploads, name), '%PDF-');
      const at = new Date(clock.now().getTime() - ageMs);
      utimesSync(join(uploads, name), at, at);
    };
    const [stale, fresh] = [randomUUID(), randomUUID()];
    put(`${stale}.part`, STAGED_UPLOAD_MAX_AGE_MS + 60_000);
    put(`${fresh}.part`, STAGED_UPLOAD_MAX_AGE_MS - 60_000);
    await cores.core({ dataDir, clock });
    expect(staged(dataDir)).toEqual([`${fresh}.part`]);
  });
});
