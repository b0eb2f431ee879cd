import { cpus } from 'node:os';
import { authBench } from './auth.bench';
import { storeBench } from './store.bench';

/** `npm run bench`: every group in turn, printed as Markdown so the figures can go straight into docs/benchmarks.md. */
const header = `## 一窗通 bench — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`;
process.stdout.write(`${header}\n`);
for (const group of [storeBench, authBench]) process.stdout.write(`${await group()}\n\n`);
