import { cpus } from 'node:os';
import { archiveBench } from './archive.bench';
import { authBench } from './auth.bench';
import { centralBench } from './central.bench';
import { devicesBench } from './devices.bench';
import { filesBench } from './files.bench';
import { hallBench } from './hall.bench';
import { registryBench } from './registry.bench';
import { storeBench } from './store.bench';
import { syncBench } from './sync.bench';

const GROUPS: Record<string, () => Promise<string>> = {
  store: storeBench,
  auth: authBench,
  registry: registryBench,
  hall: hallBench,
  devices: devicesBench,
  central: centralBench,
  sync: syncBench,
  // Capture to stored, then the file sync of the stored pages (issue 10).
  archive: async () => `${await archiveBench()}\n\n${await filesBench()}`,
};

/**
 * `npm run bench [group…]`: every group in turn, or only those named (the keys of GROUPS), printed as Markdown so the
 * figures can go straight into docs/benchmarks.md.
 */
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in GROUPS));
if (unknown.length) throw new Error(`unknown bench group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
const header = `## 一窗通 bench — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`;
process.stdout.write(`${header}\n`);
for (const [name, group] of Object.entries(GROUPS)) {
  if (wanted.length === 0 || wanted.includes(name)) process.stdout.write(`${await group()}\n\n`);
}
