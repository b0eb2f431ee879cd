import iconv from 'iconv-lite';
import { concatBytes, xorBytes } from '#core/devices/bytes';
import { demoPeople } from '#core/devices/demo-people';
import { renderDocument } from '#core/devices/printer/render-document';
import { ID_TEXT_LENGTH } from '#core/devices/cards/resident-id/id-text';
import { encodeSamReply, parseSamReply, SamFrameDecoder, SW3 } from '#core/devices/cards/resident-id/sam-frame';
import { cardFromReadReply } from '#core/devices/cards/resident-id/sam-reader';
import { idTextFor } from '#core/devices/cards/resident-id/simulated-sam-reader';
import { GOLDEN_DOCUMENTS } from '#core/printing/golden/golden';
import { runGroup } from './harness';

/** The devices' hot paths: a receipt to printer bytes, and an ID card reader's answer to a person. */
export async function devicesBench(): Promise<string> {
  const receipt = GOLDEN_DOCUMENTS['acceptance-receipt']!();
  const receiptText = receipt.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : b.type === 'row' ? [b.label, b.value] : [])).join('\n');

  // What the SAM module sends for 30 01: text and photo lengths, 256 bytes of UCS-2 text, 1024 bytes of photo.
  const person = demoPeople.find((p) => p.name === '刘䶮')!;
  const lengths = Uint8Array.of(ID_TEXT_LENGTH >> 8, ID_TEXT_LENGTH & 0xff, 0x04, 0x00);
  const frame = encodeSamReply(SW3.OK, concatBytes([lengths, idTextFor(person), new Uint8Array(1024)]));

  return runGroup('Devices', [
    { name: 'GB18030-encode the receipt’s text only', fn: () => iconv.encode(receiptText, 'gb18030') },
    {
      name: 'render acceptance receipt → ESC/POS bytes (48 columns)',
      fn: () => renderDocument(receipt, { columns: 48 }),
      baseline: 'GB18030-encode the receipt’s text only',
    },
    { name: 'XOR check of a 1295-byte SAM frame', fn: () => xorBytes(frame, 5, frame.length - 1) },
    {
      name: 'parse full ID card reply (SAM 30 01 frame → CardRead)',
      fn: () => {
        const [event] = new SamFrameDecoder().push(frame);
        if (event?.type !== 'frame') throw new Error('frame not decoded');
        return cardFromReadReply(parseSamReply(event.frame));
      },
      baseline: 'XOR check of a 1295-byte SAM frame',
    },
  ]);
}
