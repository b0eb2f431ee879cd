import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderDocument, textCells, VirtualPrinter, type DecodedJob } from '../devices/index';
import { describeJob, GOLDEN_COLUMNS, GOLDEN_DOCUMENTS } from './golden/golden';
import { queueTicket } from './templates';

const folder = fileURLToPath(new URL('./golden/', import.meta.url));

/** What a citizen must be able to read on each paper, whatever its width. */
const MUST_READ: Record<string, RegExp[]> = {
  'acceptance-receipt': [/^受理编号 +330106001-20260302-0007$/m, /^证件号码 +3303\*{10}013X$/m, /^承诺办结 +2026-03-09$/m],
  'one-time-notice': [/亲属关系证明/, /继承人银行账户/, /^事项目录版本：2026\.1$/m],
  'completion-voucher': [/^合计 +¥2,137\.51$/m, /^大写：贰仟壹佰叁拾柒元伍角壹分$/m],
  'queue-ticket': [/^A012$/m, /^您前面还有 5 人等候$/m, /^取号时间 +2026-03-02 09:15$/m],
  'day-close-sheet': [/^合计 +30 +12,543\.00$/m, /^王柜员 +23 +12,543\.00$/m, /^欧阳晓雯 +7 +0\.00$/m],
};

async function decode(bytes: Uint8Array, columns: number): Promise<DecodedJob> {
  const printer = new VirtualPrinter({ columns });
  await printer.write(bytes);
  expect(printer.jobs).toHaveLength(1);
  return printer.jobs[0]!;
}

describe.each(Object.keys(GOLDEN_DOCUMENTS))('template %s', (name) => {
  it.each(GOLDEN_COLUMNS)('renders the golden bytes at %i columns, which read back as reviewed', async (columns) => {
    const golden = await readFile(join(folder, `${name}-${columns}.bin`));
    const bytes = renderDocument(GOLDEN_DOCUMENTS[name]!(), { columns });
    expect(Buffer.from(bytes).toString('hex')).toBe(golden.toString('hex'));

    const job = await decode(golden, columns);
    expect(describeJob(job)).toBe(await readFile(join(folder, `${name}-${columns}.txt`), 'utf8'));
    expect(job.startsWithInitAndChineseMode).toBe(true);
    expect(job.unknownCommands).toBe(0);
    expect(job.cuts).toBe(1);
    for (const line of job.lines) {
      const cells = line.runs.reduce((sum, run) => sum + textCells(run.text) * run.width, 0);
      expect(cells, line.text).toBeLessThanOrEqual(columns);
    }
    const text = job.lines.map((l) => l.text.trim()).join('\n');
    for (const phrase of MUST_READ[name]!) expect(text).toMatch(phrase);
  });
});

describe('queue ticket', () => {
  it('prints the number large and says when nobody is ahead', async () => {
    const ticket = queueTicket({
      hallName: '大厅',
      categoryName: '绿色通道',
      ticketNo: 'L001',
      peopleAhead: 0,
      issuedAt: '2026-03-02 08:30',
      notice: '请留意叫号。',
      qrData: 'T20260302L001',
    });
    const job = await decode(renderDocument(ticket.document, { columns: 32 }), 32);
    expect(job.lines.find((l) => l.text === 'L001')?.runs[0]).toMatchObject({ bold: true, width: 3, height: 3 });
    expect(job.text).toContain('您前面没有人等候');
    expect(job.qrCodes.map((q) => q.data)).toEqual(['T20260302L001']);
    expect(ticket.title).toBe('取号凭条 L001');
  });
});
