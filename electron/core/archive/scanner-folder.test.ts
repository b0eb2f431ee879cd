import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_FILE_MAX_BYTES } from '#shared/api/archive';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { rejection } from '../testing/api-error';
import { startTestCore, tempDir } from '../testing/fixture';
import { sha256Hex } from './page-files';
import { PDF, png, rows, startWithCase } from './test-support';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
const others: string[] = [];
afterEach(() => {
  t?.dispose();
  others.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** A folder outside the core's data folder, removed after the test. */
function otherDir(prefix: string): string {
  const dir = tempDir(prefix);
  others.push(dir);
  return dir;
}

/** A core with a case, and a scanner folder the admin has configured. */
async function withFolder() {
  const started = await startWithCase();
  t = started.t;
  const folder = join(t.dataDir, 'scans');
  mkdirSync(folder);
  const admin = await t.loggedIn('admin', 2);
  await admin.call('scanner.saveSettings', { folder });
  return { ...started, admin, folder };
}

/** The files staged for pages.attach. */
const staged = (dataDir: string) => (existsSync(join(dataDir, 'uploads')) ? readdirSync(join(dataDir, 'uploads')) : []);

/** Writes a file into the folder (`size` grows it, sparse) with the given modification time (seconds after a fixed moment). */
function put(folder: string, name: string, bytes: Buffer, second = 0, size = bytes.length): void {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  truncateSync(path, size);
  const at = new Date(Date.UTC(2026, 10, 27, 2, 0, second));
  utimesSync(path, at, at);
}

describe('scanner folder setting', () => {
  it('starts on the demo drop folder with sample scans in demo mode', async () => {
    t = await startTestCore();
    const admin = await t.loggedIn('admin');
    const teller = await t.loggedIn('teller', 2);
    const { folder } = await admin.call('scanner.settings', {});
    expect(folder).toBe(join(t.dataDir, 'scanner-demo'));
    const listed = await teller.call('scanner.list', {});
    expect(listed.folder).toBe(folder);
    expect(listed.files.map((f) => f.kind).sort()).toEqual(['image', 'image']);
    const sample = await teller.call('scanner.stage', { name: listed.files[0]!.name });
    expect(['image/jpeg', 'image/png']).toContain(sample.mime);
    expect(sample.size).toBe(listed.files[0]!.size);
  });

  it('accepts an existing folder or none, refuses anything else, admin only, audited', async () => {
    t = await startTestCore();
    const admin = await t.loggedIn('admin');
    const teller = await t.loggedIn('teller', 2);
    const dir = otherDir('yichuang-scans-');
    writeFileSync(join(dir, 'a-file.pdf'), PDF);
    const refused = async (folder: string) => (await rejection(admin.call('scanner.saveSettings', { folder }))).message;
    expect(await refused('scans')).toContain('请填写完整路径');
    expect(await refused(join(dir, 'missing'))).toBe('文件夹不存在或无法访问');
    expect(await refused(join(dir, 'a-file.pdf'))).toBe('该路径不是文件夹');
    expect(await rejection(teller.call('scanner.saveSettings', { folder: dir }))).toMatchObject({ code: 'FORBIDDEN' });

    expect(await admin.call('scanner.saveSettings', { folder: ` ${dir} ` })).toEqual({ folder: dir });
    expect(await admin.call('scanner.settings', {})).toEqual({ folder: dir });
    expect((await teller.call('scanner.list', {})).files.map((f) => f.name)).toEqual(['a-file.pdf']);

    // Empty: this PC has no scanner folder.
    await admin.call('scanner.saveSettings', { folder: '' });
    expect(await teller.call('scanner.list', {})).toEqual({ folder: null, files: [], more: 0 });
    expect((await rejection(teller.call('scanner.stage', { name: 'a-file.pdf' }))).message).toContain('本机未设置扫描文件夹');

    const audit = rows<{ class: string; before_json: string; after_json: string }>(
      t.dataDir,
      `SELECT class, before_json, after_json FROM audit_log WHERE action = 'scanner.settings' ORDER BY seq`,
    );
    expect(audit.map((a) => [a.class, JSON.parse(a.before_json), JSON.parse(a.after_json)])).toEqual([
      ['key', { folder: join(t.dataDir, 'scanner-demo') }, { folder: dir }],
      ['key', { folder: dir }, { folder: '' }],
    ]);
  });
});

describe('files waiting in the scanner folder', () => {
  it('lists pictures and PDFs only, newest first, with the ones too large flagged', async () => {
    const { teller, folder } = await withFolder();
    put(folder, 'old.jpg', png(40, 30), 1);
    put(folder, 'new.PNG', png(40, 30), 3);
    put(folder, 'doc.pdf', PDF, 2);
    put(folder, 'notes.txt', Buffer.from('x'), 4);
    mkdirSync(join(folder, 'sub.jpg'));
    put(folder, 'huge.jpg', Buffer.alloc(0), 0, PAGE_FILE_MAX_BYTES + 1);
    const listed = await teller.call('scanner.list', {});
    expect(listed.files.map((f) => [f.name, f.kind, f.tooLarge])).toEqual([
      ['new.PNG', 'image', false],
      ['doc.pdf', 'pdf', false],
      ['old.jpg', 'image', false],
      ['huge.jpg', 'image', true],
    ]);
    expect(listed.files[1]).toMatchObject({ size: PDF.length, modifiedAt: '2026-11-27T02:00:02.000Z' });
    expect((await rejection(teller.call('scanner.stage', { name: 'huge.jpg' }))).message).toContain('文件超过64MB');
    expect(staged(t.dataDir)).toEqual([]);
  });

  it('stages a copy of a file with the type its bytes declare, leaves the file, and makes a small thumbnail of a picture', async () => {
    const { teller, folder } = await withFolder();
    put(folder, 'renamed.jpg', png(800, 600));
    put(folder, 'doc.pdf', PDF);
    put(folder, 'bad.png', Buffer.from('not a picture'));
    const read = await teller.call('scanner.stage', { name: 'renamed.jpg' });
    expect(read).toMatchObject({ name: 'renamed.jpg', mime: 'image/png', size: png(800, 600).length });
    expect(readFileSync(join(t.dataDir, 'uploads', `${read.uploadId}.part`)).equals(png(800, 600))).toBe(true);
    expect(readFileSync(join(folder, 'renamed.jpg')).equals(png(800, 600))).toBe(true);
    const again = await teller.call('scanner.stage', { name: 'doc.pdf' });
    expect(again.mime).toBe('application/pdf');
    expect(again.uploadId).not.toBe(read.uploadId);
    expect((await rejection(teller.call('scanner.stage', { name: 'bad.png' }))).message).toContain('只能导入JPEG、PNG图片或PDF文件');
    expect(await rejection(teller.call('scanner.stage', { name: 'gone.jpg' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(staged(t.dataDir).sort()).toEqual([`${read.uploadId}.part`, `${again.uploadId}.part`].sort());

    const { dataUrl } = await teller.call('scanner.thumbnail', { name: 'renamed.jpg' });
    expect(dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(Buffer.from(dataUrl.split(',')[1]!, 'base64').length).toBeLessThan(10_000);
  });

  it('refuses any name leading out of the folder, and links pointing out of it', async () => {
    const { teller, folder } = await withFolder();
    const outside = otherDir('yichuang-outside-');
    writeFileSync(join(outside, 'secret.pdf'), PDF);
    writeFileSync(join(folder, 'inside.pdf'), PDF);
    symlinkSync(join(outside, 'secret.pdf'), join(folder, 'link-out.pdf'));
    symlinkSync(join(folder, 'inside.pdf'), join(folder, 'link-in.pdf'));
    symlinkSync(outside, join(folder, 'dir-out'));

    for (const name of ['../secret.pdf', '..', 'dir-out/secret.pdf', '..\\secret.pdf', join(outside, 'secret.pdf')]) {
      expect(await rejection(teller.call('scanner.stage', { name })), name).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('只能读取扫描文件夹中的文件'),
      });
    }
    expect(await rejection(teller.call('scanner.stage', { name: 'link-out.pdf' }))).toMatchObject({
      code: 'FORBIDDEN',
      message: '只能读取扫描文件夹中的文件',
    });
    expect(await rejection(teller.call('scanner.done', { names: ['link-out.pdf'] }))).toMatchObject({ code: 'FORBIDDEN' });
    // A link within the folder is an ordinary file of it; one leading out is not even listed.
    expect((await teller.call('scanner.list', {})).files.map((f) => f.name).sort()).toEqual(['inside.pdf', 'link-in.pdf']);
    expect(staged(t.dataDir)).toEqual([]);
    expect((await teller.call('scanner.stage', { name: 'link-in.pdf' })).mime).toBe('application/pdf');
  });

  it('files staged scans through pages.attach, then moves the files into 已归入 without replacing any, audited', async () => {
    const { teller, kase, folder } = await withFolder();
    // A scanned multi-page PDF far above one call's limit.
    const pdf = Buffer.concat([PDF, randomBytes(3 * 1024 * 1024)]);
    put(folder, 'p1.png', png(1200, 900), 1);
    put(folder, 'p2.pdf', pdf, 2);
    mkdirSync(join(folder, '已归入'));
    writeFileSync(join(folder, '已归入', 'p1.png'), 'filed last week');

    for (const name of ['p1.png', 'p2.pdf']) {
      const { uploadId, mime, size } = await teller.call('scanner.stage', { name });
      await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: { name, mime, uploadId, size } });
    }
    expect(staged(t.dataDir)).toEqual([]);
    expect(await teller.call('scanner.done', { names: ['p1.png', 'p2.pdf', 'never-there.jpg'] })).toEqual({ moved: ['p1.png', 'p2.pdf'] });
    expect((await teller.call('pages.list', { caseId: kase.id })).map((p) => [p.name, p.mime, p.width, p.size])).toEqual([
      ['p1.png', 'image/jpeg', 1200, expect.any(Number)],
      ['p2.pdf', 'application/pdf', null, pdf.length],
    ]);
    expect((await teller.call('pages.list', { caseId: kase.id }))[1]!.sha256).toBe(sha256Hex(pdf));
    expect((await teller.call('scanner.list', {})).files).toEqual([]);
    expect(readdirSync(join(folder, '已归入')).sort()).toEqual(['p1 (2).png', 'p1.png', 'p2.pdf']);
    expect(await teller.call('scanner.done', { names: ['p1.png'] })).toEqual({ moved: [] });

    const audit = rows<{ class: string; after_json: string }>(
      t.dataDir,
      `SELECT class, after_json FROM audit_log WHERE action = 'scanner.filed'`,
    );
    expect(audit.map((a) => [a.class, JSON.parse(a.after_json)])).toEqual([
      [
        'general',
        {
          folder,
          moved: [
            { name: 'p1.png', to: '已归入/p1 (2).png' },
            { name: 'p2.pdf', to: '已归入/p2.pdf' },
          ],
        },
      ],
    ]);
    // Moves are this PC's business: nothing for the central office.
    expect(rows(t.dataDir, `SELECT * FROM outbox WHERE type LIKE 'scanner%'`)).toEqual([]);
  });

  it('is for tellers at this PC only', async () => {
    const { folder } = await withFolder();
    put(folder, 'p1.pdf', PDF);
    const reviewer = await t.loggedIn('reviewer', 1);
    expect(await rejection(reviewer.call('scanner.list', {}))).toMatchObject({ code: 'FORBIDDEN' });
    const remote: Client = createClient(memoryTransport(t.core.connect({ kind: 'ws', label: '192.168.1.23' })));
    await remote.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 1 });
    for (const call of [remote.call('scanner.list', {}), remote.call('scanner.stage', { name: 'p1.pdf' })]) {
      expect(await rejection(call)).toMatchObject({ code: 'FORBIDDEN', message: '扫描文件夹只能在本机使用' });
    }
  });
});
