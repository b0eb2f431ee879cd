import { afterEach, expect, it } from 'vitest';

import {
  CardReaderService,
  createPrinterTransport,
  createSamReaderDriver,
  demoPeople,
  renderDocument,
  SimulatedSamReader,
  type VirtualPrinter,
  type CardRead,
  type PrintDocument,
} from './index';

let service: CardReaderService | undefined;
afterEach(async () => {
  await service?.stop();
});

it('reads a demo ID card and prints a receipt for that person, through the public API only', async () => {
  const person = demoPeople.find((p) => p.name === '刘䶮')!;
  const sam = new SimulatedSamReader('/dev/ttyDEMO0');
  service = new CardReaderService(createSamReaderDriver({ path: '/dev/ttyDEMO0', binding: sam.port.binding }), { pollIntervalMs: 10 });
  const card = new Promise<CardRead>((resolve) => service!.once('card', resolve));
  service.start();
  sam.place(person);
  const read = await card;

  const virtualPrinters = new Map<string, VirtualPrinter>();
  const printer = createPrinterTransport('virtual:counter-1', { virtualPrinters });
  const receipt: PrintDocument = {
    blocks: [
      { type: 'text', text: '受理回执', style: { align: 'center', bold: true, width: 2, height: 2 } },
      { type: 'row', label: '姓名', value: read.name },
      { type: 'row', label: '证件号码', value: read.idNumber.replace(/^(.{6}).{8}/, '$1********') },
    ],
  };
  await printer.write(renderDocument(receipt, { columns: 48 }));
  const lines = virtualPrinters.get('counter-1')?.jobs[0]?.lines.map((l) => l.text.replace(/\s+/g, ' '));
  expect(lines).toEqual(['受理回执', '姓名 刘䶮', '证件号码 440305********0465']);
});
