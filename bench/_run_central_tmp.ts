import { centralBench } from './central.bench';
process.stdout.write((await centralBench()) + '\n');
