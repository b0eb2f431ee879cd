import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { writeFileDurably } from '#core/backup/durable-write';
import { preparePage } from '#core/archive/page-image';
import { startWithCase } from '#core/archive/test-support';
import { tempDir } from '#core/testing/fixture';
import { runGroup } from './harness';

/** A document-camera frame: 3 megapixels (2048 × 1536) of a printed form, as the camera's JPEG at quality 92. */
async function cameraFrame(serial: number): Promise<Buffer> {
  const width = 2048;
  const height = 1536;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4f1ea';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1d2733';
  ctx.font = '28px sans-serif';
  // Lines of text-like marks: a photographed form compresses like this, not like a flat colour.
  for (let y = 80; y < height - 60; y += 42) {
    for (let x = 90; x < width - 120; x += 17 + ((x * y + serial) % 23)) ctx.fillRect(x, y, 9 + ((x + serial) % 7), 22);
  }
  ctx.fillText(`第${serial}页`, 90, 50);
  return canvas.encode('jpeg', 92);
}

/**
 * Capture to stored (issue 10): a 3-megapixel camera frame filed with a case through `pages.attach` — decoded, scaled
 * to the stored size, re-encoded, written durably under its hash, its rows, audit entry and outbox operation in one
 * transaction. Baseline: writing the frame's bytes durably (temporary file, fsync, rename), what any store must do;
 * the compression alone is shown between them.
 */
export async function archiveBench(): Promise<string> {
  const { t, teller, kase } = await startWithCase();
  const raw = tempDir('yc-bench-raw-');
  try {
    // A new frame before every timed call (untimed), so every attach stores a new file rather than finding it there.
    let frame = await cameraFrame(0);
    let n = 0;
    const nextFrame = async () => {
      n += 1;
      frame = await cameraFrame(n);
    };
    return await runGroup(
      'Archive: capture to stored',
      [
        {
          name: 'write a 3 MP frame durably (raw baseline)',
          beforeEach: nextFrame,
          fn: () => writeFileDurably(join(raw, `frame-${n}.jpg`), [frame]),
        },
        {
          // Where the time goes: decoding, scaling to the stored size and re-encoding, nothing stored.
          name: 'compress a 3 MP frame only',
          beforeEach: nextFrame,
          fn: () => preparePage(frame),
          baseline: 'write a 3 MP frame durably (raw baseline)',
        },
        {
          name: 'pages.attach of a 3 MP camera frame',
          beforeEach: nextFrame,
          fn: () =>
            teller.call('pages.attach', {
              caseId: kase.id,
              materialCode: 'ID',
              file: { name: 'camera.jpg', mime: 'image/jpeg', dataBase64: frame.toString('base64') },
            }),
          baseline: 'write a 3 MP frame durably (raw baseline)',
        },
      ],
      { time: 3000, iterations: 20 },
    );
  } finally {
    await t.dispose();
  }
}
