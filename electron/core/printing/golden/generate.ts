import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDocument, VirtualPrinter } from '../../devices/index';
import { describeJob, GOLDEN_COLUMNS, GOLDEN_DOCUMENTS } from './golden';

/**
 * `npx tsx electron/core/printing/golden/generate.ts`: writes NAME-COLUMNS.bin (the bytes sent to the printer)
 * and NAME-COLUMNS.txt (those bytes decoded back by the virtual printer) for every template. Run it after a
 * deliberate change to a template, read the .txt diff, and commit both.
 */
const folder = dirname(fileURLToPath(import.meta.url));
for (const [name, build] of Object.entries(GOLDEN_DOCUMENTS)) {
  for (const columns of GOLDEN_COLUMNS) {
    const bytes = renderDocument(build(), { columns });
    const printer = new VirtualPrinter({ columns });
    await printer.write(bytes);
    const base = join(folder, `${name}-${columns}`);
    await writeFile(`${base}.bin`, bytes);
    await writeFile(`${base}.txt`, describeJob(printer.jobs[0]!), 'utf8');
    process.stdout.write(`${base}.bin (${bytes.length} bytes)\n`);
  }
}
