import { createCipheriv, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvent } from '#shared/api/events';
import type { Client } from '#shared/transport/client';
import { pageFiles, sha256Hex, type StoredMime } from '../archive/page-files';
import { file, png } from '../archive/test-support';
import { STORE_FILE } from '../index';
import { systemClock } from '../platform/deps';
import { createMemoryLogger } from '../platform/logger';
import { ApiError } from '#shared/api/errors';
import { rejection } from '../testing/api-error';
import { accepted, acceptD1 } from '../testing/cases';
import { manualClock, startTestCore, tempDir } from '../testing/fixture';
import { makeIdNumber } from '../testing/id-numbers';
import type * as DurableWrite from './durable-write';
import { keyFingerprint, readBackupFile, type BackupHeader } from './backup-file';
import { RestoreRefused, restoreBackup } from './restore';
import { applyStagedRestore } from './staged-restore';

/** A write error injected into the durable writes: the armed write leaves half its bytes in the temporary file. */
const fault = vi.hoisted(() => ({ failOn: null as ((path: string) => boolean) | null }));
vi.mock('./durable-write', async (importOriginal) => {
  const real = await importOriginal<typeof DurableWrite>();
  return {
    ...real,
    writeFileDurably(path: string, parts: readonly Buffer[], mode?: number) {
      if (fault.failOn?.(path)) {
        const bytes = Buffer.concat(parts);
        writeFileSync(`${path}.partial`, bytes.subarray(0, bytes.length >> 1));
        throw new Error('EIO: i/o error, write (injected)');
      }
      real.writeFileDurably(path, parts, mode);
    },
  };
});

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => {
  fault.failOn = null;
  t?.dispose();
});

const STATION = '330106001';
const clock = manualClock(new Date('2026-11-27T10:00:00+08:00'));

interface Page {
  id: string;
  sha256: string;
  mime: string;
}

/** A core with a D1 case to attach pages to, its backup folder set; the clock moves a minute per backup (file names). */
async function start(keep = 14) {
  t = await startTestCore({ clock });
  const admin = await t.loggedIn('admin', 3);
  const teller = await t.loggedIn('teller', 1);
  const dir = tempDir('yichuang-backups-');
  await admin.call('backup.updateSettings', { dir, intervalHours: 24, keep });
  const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', 17), name: '陈建国' });
  const kase = accepted(await acceptD1(teller, person.id));
  let n = 0;
  /** A PDF page (stored byte for byte) of its own content. */
  const attach = async (): Promise<Page> => {
    const bytes = Buffer.from(`%PDF-1.4\n% page ${++n} of the case\n${'x'.repeat(500)}\n%%EOF\n`);
    return teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(bytes, `p${n}.pdf`, 'application/pdf') });
  };
  const backup = () => {
    clock.advance(60_000);
    return admin.call('backup.run', {});
  };
  return { admin, teller, dir, kase, attach, backup };
}

const key = () => Buffer.from(readFileSync(join(t.dataDir, 'backup.key'), 'utf8'), 'base64');
const pageRoot = (dir: string) => join(dir, 'pages', keyFingerprint(key()));
const pageFile = (dir: string, sha256: string) => join(pageRoot(dir), sha256.slice(0, 2), `${sha256}.ycpg`);
/** Every file under the backup's page folder, by name. */
const pageFileNames = (dir: string) =>
  existsSync(pageRoot(dir))
    ? readdirSync(pageRoot(dir))
        .flatMap((sub) => readdirSync(join(pageRoot(dir), sub)))
        .sort()
    : [];

function scriptRestore(backupFile: string, stationCode = STATION) {
  const dataDir = tempDir('yichuang-restored-');
  const logger = createMemoryLogger();
  const run = restoreBackup({
    file: backupFile,
    key: key(),
    dataDir,
    stationCode,
    storeFile: STORE_FILE,
    actor: { operatorId: null, windowNo: null },
    deps: { clock: systemClock, newId: uuidv7, logger },
  });
  return { dataDir, logger, run };
}

/** What a client sees of a page: its bytes whole, or the refusal's reason. */
async function shown(client: Client, page: Page): Promise<string> {
  const got = await client.call('pages.get', { pageId: page.id }).catch((err: unknown) => err);
  if (got instanceof ApiError) return got.reason ?? got.code;
  const { dataUrl } = got as { dataUrl: string };
  return sha256Hex(Buffer.from(dataUrl.split(',')[1]!, 'base64')) === page.sha256 ? 'whole' : 'other bytes';
}

/** Starts the app on a restored data folder (the core before it is closed), and shows each page. */
async function shownAfterRestore(dataDir: string, pages: Page[]) {
  t = await startTestCore({ clock, dataDir });
  const reviewer = await t.loggedIn('reviewer', 2);
  const out: string[] = [];
  for (const page of pages) out.push(await shown(reviewer, page));
  return out;
}

const flipLastByte = (path: string) => {
  const bytes = readFileSync(path);
  bytes[bytes.length - 1]! ^= 0x01;
  writeFileSync(path, bytes);
};

describe('backups carry the material pages', () => {
  it('writes each page encrypted beside the backup, and a restore writes them all back verified', async () => {
    const { admin, teller, kase, dir, attach, backup } = await start();
    const pages: Page[] = [await attach(), await attach()];
    pages.push(await teller.call('pages.attach', { caseId: kase.id, materialCode: 'PROOF', file: file(png(400, 300)) }));
    const events: CoreEvent[] = [];
    admin.onEvent((e) => void events.push(e));

    const record = await backup();
    expect(record).toMatchObject({ verified: true, pages: { count: 3, written: 3, unavailable: 0 } });
    expect(pageFileNames(dir)).toEqual(pages.map((p) => `${p.sha256}.ycpg`).sort());
    // The plain copies made to check the store are gone from the data folder, with their log files.
    expect(readdirSync(t.dataDir).filter((f) => f.includes('.tmp'))).toEqual([]);
    // Encrypted: the page's own bytes are not on the backup medium.
    expect(readFileSync(pageFile(dir, pages[0]!.sha256)).includes(Buffer.from('page 1 of the case'))).toBe(false);
    const progress = events.flatMap((e) => (e.type === 'backup.progress' && e.phase === 'pages' ? [[e.done, e.total]] : []));
    expect(progress.at(0)).toEqual([0, 3]);
    expect(progress.at(-1)).toEqual([3, 3]);
    const restoredFrom = t;

    // Another station's backup is still refused, before anything is written.
    const refused = scriptRestore(record.file, '330106002');
    await expect(refused.run).rejects.toThrow(RestoreRefused);
    expect(readdirSync(refused.dataDir)).toEqual([]);

    const { dataDir, run } = scriptRestore(record.file);
    expect((await run).pages).toEqual({ total: 3, restored: 3, present: 0, missing: 0, damaged: 0, problems: [] });
    for (const p of pages) {
      const mime = p.mime as StoredMime;
      expect(readFileSync(pageFiles(dataDir).pathOf(p.sha256, mime)).equals(pageFiles(t.dataDir).read(p.sha256, mime))).toBe(true);
    }
    restoredFrom.dispose();
    expect(await shownAfterRestore(dataDir, pages)).toEqual(['whole', 'whole', 'whole']);
  });

  it('writes a page file once: later backups reuse it and write only new pages', async () => {
    const { dir, attach, backup } = await start();
    const first = [await attach(), await attach()];
    expect((await backup()).pages).toEqual({ count: 2, written: 2, unavailable: 0 });
    const before = first.map((p) => statSync(pageFile(dir, p.sha256), { bigint: true }));
    expect((await backup()).pages).toEqual({ count: 2, written: 0, unavailable: 0 });
    const added = await attach();
    const third = await backup();
    expect(third).toMatchObject({ verified: true, pages: { count: 3, written: 1, unavailable: 0 } });
    const after = first.map((p) => statSync(pageFile(dir, p.sha256), { bigint: true }));
    expect(after.map((s) => [s.ino, s.mtimeNs])).toEqual(before.map((s) => [s.ino, s.mtimeNs]));
    const { run } = scriptRestore(third.file);
    expect((await run).pages).toMatchObject({ total: 3, restored: 3 });
    expect(existsSync(pageFile(dir, added.sha256))).toBe(true);
  });

  it('reports a tampered and a missing page file on restore, writes neither, and restores the others', async () => {
    const { dir, attach, backup } = await start();
    const [tampered, missing, good] = [await attach(), await attach(), await attach()] as [Page, Page, Page];
    const record = await backup();
    flipLastByte(pageFile(dir, tampered.sha256));
    rmSync(pageFile(dir, missing.sha256));

    const { dataDir, logger, run } = scriptRestore(record.file);
    const { pages } = await run;
    expect(pages).toMatchObject({ total: 3, restored: 1, present: 0, missing: 1, damaged: 1 });
    expect(pages.problems).toEqual(
      expect.arrayContaining([
        { sha256: tampered.sha256, found: 'damaged' },
        { sha256: missing.sha256, found: 'missing' },
      ]),
    );
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.fields?.sha256)).toEqual(
      expect.arrayContaining([tampered.sha256, missing.sha256]),
    );
    expect(existsSync(pageFiles(dataDir).pathOf(tampered.sha256, 'application/pdf'))).toBe(false);
    expect(existsSync(pageFiles(dataDir).pathOf(missing.sha256, 'application/pdf'))).toBe(false);
    // The store is usable; the two pages are refused as corrupt rather than shown, the third is whole.
    t.dispose();
    expect(await shownAfterRestore(dataDir, [tampered, missing, good])).toEqual(['page_corrupt', 'page_corrupt', 'whole']);
    const admin = await t.loggedIn('admin', 3);
    expect((await admin.call('backup.status', {})).lastRestore?.pages).toMatchObject({ restored: 1, missing: 1, damaged: 1 });
    expect((await admin.call('audit.verify', {})).ok).toBe(true);
  });

  it('restores from the backup page: whole pages of this PC stay, others come from the backup at the switch', async () => {
    const { admin, dir, attach, backup } = await start();
    const [damagedHere, lost, whole] = [await attach(), await attach(), await attach()] as [Page, Page, Page];
    const record = await backup();
    const live = pageFiles(t.dataDir);
    writeFileSync(live.pathOf(damagedHere.sha256, 'application/pdf'), '%PDF-1.4 changed on this PC');
    rmSync(live.pathOf(lost.sha256, 'application/pdf'));
    rmSync(pageFile(dir, lost.sha256));
    // Not read from the backup at all: the copy on this PC is whole.
    flipLastByte(pageFile(dir, whole.sha256));

    const steps: [string, number | undefined][] = [];
    admin.onEvent((e) => void (e.type === 'backup.restoreProgress' && steps.push([e.step, e.done])));
    const pending = await admin.call('backup.restore', { file: record.file });
    expect(pending.pages).toEqual({
      total: 3,
      restored: 1,
      present: 1,
      missing: 1,
      damaged: 0,
      problems: [{ sha256: lost.sha256, found: 'missing' }],
    });
    expect(steps.filter(([step]) => step === 'pages').at(-1)).toEqual(['pages', 3]);
    // Until the restart the live folder is as it was.
    expect(() => live.read(damagedHere.sha256, 'application/pdf')).toThrow();

    const dataDir = t.dataDir;
    t.core.close();
    applyStagedRestore(dataDir, STORE_FILE, createMemoryLogger());
    expect(live.read(damagedHere.sha256, 'application/pdf').length).toBeGreaterThan(0);
    expect(await shownAfterRestore(dataDir, [damagedHere, lost, whole])).toEqual(['whole', 'page_corrupt', 'whole']);
    const again = await t.loggedIn('admin', 3);
    expect((await again.call('backup.status', {})).lastRestore?.pages).toEqual(pending.pages);
  });

  it('rotation deletes the page files no backup in the folder needs, and keeps the others', async () => {
    const { dir, attach, backup } = await start(2);
    const [kept, dropped] = [await attach(), await attach()] as [Page, Page];
    const first = await backup();
    // The store stops referring to a page (as after a restore to an earlier backup): later backups do not carry it.
    const db = new BetterSqlite3(join(t.dataDir, STORE_FILE));
    db.pragma('foreign_keys = OFF'); // whatever else refers to the file, only page_blob decides what a backup carries
    db.prepare('DELETE FROM case_page WHERE sha256 = ?').run(dropped.sha256);
    db.prepare('DELETE FROM page_blob WHERE sha256 = ?').run(dropped.sha256);
    db.close();
    const added = await attach();
    expect((await backup()).pages?.count).toBe(2);
    expect(existsSync(pageFile(dir, dropped.sha256))).toBe(true); // the first backup is kept and needs it
    // Another PC's page files in the same folder, a copy of the first backup, and a write cut short.
    const otherPc = join(dir, 'pages', '0123456789abcdef', 'ab', `${'ab'.repeat(32)}.ycpg`);
    mkdirSync(join(otherPc, '..'), { recursive: true });
    writeFileSync(otherPc, 'not ours');
    const copy = join(dir, 'yichuang-330106001-copy.ycbak');
    copyFileSync(first.file, copy);
    const cut = `${pageFile(dir, added.sha256)}.partial`;
    writeFileSync(cut, 'half');

    await backup(); // the first backup is rotated out, but its copy still needs the page
    expect(existsSync(first.file)).toBe(false);
    expect(existsSync(pageFile(dir, dropped.sha256))).toBe(true);
    expect(existsSync(cut)).toBe(false);
    rmSync(copy);
    const last = await backup();
    expect(pageFileNames(dir)).toEqual([`${kept.sha256}.ycpg`, `${added.sha256}.ycpg`].sort());
    expect(existsSync(otherPc)).toBe(true);
    expect((await scriptRestore(last.file).run).pages).toMatchObject({ total: 2, restored: 2 });
  });

  it('restores a backup written before pages were backed up: the store, with its pages reported missing', async () => {
    const { admin, attach, backup } = await start();
    const page = await attach();
    const record = await backup();
    const legacy = join(tempDir(), 'legacy.ycbak');
    const { header, plain } = readBackupFile(record.file, key());
    writeLegacyBackup(legacy, header, plain, key());

    const { pages } = await scriptRestore(legacy).run;
    expect(pages).toEqual({
      total: 1,
      restored: 0,
      present: 0,
      missing: 1,
      damaged: 0,
      problems: [{ sha256: page.sha256, found: 'missing' }],
    });
    // On this PC, the page is still here whole.
    expect((await admin.call('backup.restore', { file: legacy })).pages).toMatchObject({ total: 1, present: 1, missing: 0 });
  });

  it('a write failing mid-backup leaves no page file taken for good, and the previous backup still restores', async () => {
    const { admin, dir, attach, backup } = await start();
    await attach();
    await attach();
    const previous = await backup();
    const [c, d] = [await attach(), await attach()] as [Page, Page];
    let writes = 0;
    fault.failOn = (path) => path.endsWith('.ycpg') && ++writes === 2;
    expect(await rejection(backup())).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('备份失败') });
    fault.failOn = null;

    const cutShort = [c, d].find((p) => !existsSync(pageFile(dir, p.sha256)))!;
    expect(existsSync(`${pageFile(dir, cutShort.sha256)}.partial`)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.ycbak'))).toEqual([basename(previous.file)]);
    expect(readdirSync(t.dataDir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect((await admin.call('backup.status', {})).history.map((r) => r.file)).toEqual([previous.file]);
    expect((await scriptRestore(previous.file).run).pages).toMatchObject({ total: 2, restored: 2, missing: 0, damaged: 0 });

    // A page file cut short under its real name (a medium that lost its tail) is not reused either.
    const written = [c, d].find((p) => p !== cutShort)!;
    truncateSync(pageFile(dir, written.sha256), 10);
    const next = await backup();
    expect(next).toMatchObject({ verified: true, pages: { count: 4, written: 2, unavailable: 0 } });
    expect(pageFileNames(dir).filter((f) => !f.endsWith('.ycpg'))).toEqual([]);
    expect((await scriptRestore(next.file).run).pages).toMatchObject({ total: 4, restored: 4 });
  });
});

/** The format written before pages were backed up: magic line 1, header, tag, body; no page list. */
function writeLegacyBackup(path: string, header: BackupHeader, plain: Buffer, key: Buffer): void {
  const iv = randomBytes(12);
  const { pages: _pages, ...rest } = header;
  const headerJson = Buffer.from(JSON.stringify({ ...rest, iv: iv.toString('base64') }));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerJson);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerJson.length);
  writeFileSync(path, Buffer.concat([Buffer.from('YICHUANG-BACKUP/1\n'), length, headerJson, cipher.getAuthTag(), body]));
}
