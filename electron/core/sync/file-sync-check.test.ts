import { existsSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pageFiles } from '../archive/page-files';
import { file, rows, startWithCase } from '../archive/test-support';
import { rejection } from '../testing/api-error';
import { startTestCore } from '../testing/fixture';
import { PAGE_CHECK_MARKER, requestPageCheck } from './file-sync-check';

type Started = Awaited<ReturnType<typeof startTestCore>>;
const opened: Started[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.dispose();
});

const pdf = (n: number) => Buffer.from(`%PDF-1.4\n% page ${n}\n${'x'.repeat(300 + n)}\n%%EOF\n`);

/** A core with three pages attached, closed again: its data folder as a restore would leave it. */
async function folderWithPages() {
  const { t, teller, kase } = await startWithCase();
  const pages = [];
  for (const n of [1, 2, 3]) {
    pages.push(
      await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(pdf(n), `p${n}.pdf`, 'application/pdf') }),
    );
  }
  t.core.close();
  const pathOf = (sha256: string) => pageFiles(t.dataDir).pathOf(sha256, 'application/pdf');
  return { dataDir: t.dataDir, pages, pathOf };
}

async function reopen(dataDir: string) {
  const t = await startTestCore({ dataDir });
  opened.push(t);
  return t;
}

const damaged = (dataDir: string) =>
  rows<{ sha256: string; damaged_at: string; last_error: string }>(
    dataDir,
    'SELECT sha256, damaged_at, last_error FROM page_upload WHERE damaged_at IS NOT NULL ORDER BY sha256',
  );

describe('the page check after a restore', () => {
  it('marks missing and wrong-sized page files damaged at the next start, once, and removes its marker', async () => {
    const { dataDir, pages, pathOf } = await folderWithPages();
    const [gone, cut, whole] = pages as [(typeof pages)[0], (typeof pages)[0], (typeof pages)[0]];
    rmSync(pathOf(gone.sha256));
    truncateSync(pathOf(cut.sha256), 10);
    requestPageCheck(dataDir);
    expect(existsSync(join(dataDir, PAGE_CHECK_MARKER))).toBe(true);

    const t = await reopen(dataDir);
    expect(existsSync(join(dataDir, PAGE_CHECK_MARKER))).toBe(false);
    const marked = damaged(dataDir);
    expect(marked.map((r) => r.sha256).sort()).toEqual([gone.sha256, cut.sha256].sort());
    expect(marked.find((r) => r.sha256 === gone.sha256)?.last_error).toContain('缺失');
    expect(marked.find((r) => r.sha256 === cut.sha256)?.last_error).toContain('校验失败');
    expect((await (await t.loggedIn('admin', 3)).call('sync.status', {})).files.corruptPages).toBe(2);
    expect(t.logger.lines.some((l) => l.level === 'warn' && l.msg.endsWith('marked to be fetched from the central office'))).toBe(true);
    expect(existsSync(pathOf(whole.sha256))).toBe(true);

    // A power cut before the marker went: the check runs again and changes nothing.
    t.core.close();
    opened.splice(0);
    requestPageCheck(dataDir);
    await reopen(dataDir);
    expect(damaged(dataDir)).toEqual(marked);
  });

  it('does nothing without the marker: a start is not a restore', async () => {
    const { dataDir, pages, pathOf } = await folderWithPages();
    rmSync(pathOf(pages[0]!.sha256));
    await reopen(dataDir);
    expect(damaged(dataDir)).toEqual([]);
  });

  it('takes a file of the right size as present: its hash is checked when it is read or sent', async () => {
    const { dataDir, pages, pathOf } = await folderWithPages();
    const page = pages[0]!;
    writeFileSync(pathOf(page.sha256), Buffer.alloc(page.size, 0x20));
    requestPageCheck(dataDir);
    const t = await reopen(dataDir);
    expect(damaged(dataDir)).toEqual([]);
    const teller = await t.loggedIn('teller');
    expect((await rejection(teller.call('pages.get', { pageId: page.id }))).reason).toBe('page_corrupt');
    expect(damaged(dataDir).map((r) => r.sha256)).toEqual([page.sha256]);
  });
});
