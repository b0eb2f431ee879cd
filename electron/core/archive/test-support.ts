import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCanvas } from '@napi-rs/canvas';
import { afterEach } from 'vitest';
import { STORE_FILE } from '../index';
import { accepted, acceptD1 } from '../testing/cases';
import { makeIdNumber } from '../testing/id-numbers';
import { manualClock, startTestCore } from '../testing/fixture';

/** Fixtures of the archive tests. */

/** A picture with some detail, so that its JPEG is not trivially small. */
export function png(width: number, height: number): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#234';
  for (let x = 0; x < width; x += 97) ctx.fillRect(x, (x * 7) % height, 40, 30);
  return canvas.toBuffer('image/png');
}

export const file = (bytes: Buffer, name = 'scan.png', mime = 'image/png') => ({ name, mime, dataBase64: bytes.toString('base64') });
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const ID_NUMBER = makeIdNumber('330106', '1980-05-20', 17);

/** A core with a teller and a D1 case waiting for review (ID card received, the proof by data check). */
export async function startWithCase(options: Parameters<typeof startTestCore>[0] = {}) {
  const t = await startTestCore({ clock: manualClock(new Date('2026-11-27T10:00:00+08:00')), ...options });
  const teller = await t.loggedIn('teller', 1);
  const person = await teller.call('person.create', { idNumber: ID_NUMBER, name: '陈建国' });
  const kase = accepted(await acceptD1(teller, person.id));
  return { t, teller, kase };
}

export type TestCore = Awaited<ReturnType<typeof startTestCore>>;

/** Cores for the tests of one file: each is disposed after the test that started it. */
export function coresPerTest() {
  let running: TestCore | undefined;
  afterEach(() => {
    running?.dispose();
    running = undefined;
  });
  return {
    /** startWithCase. */
    async withCase(options: Parameters<typeof startTestCore>[0] = {}) {
      const started = await startWithCase(options);
      running = started.t;
      return started;
    },
    /** A plain demo core (startTestCore). */
    async core(options: Parameters<typeof startTestCore>[0] = {}) {
      running = await startTestCore(options);
      return running;
    },
  };
}

/** Reads the store beside the running core (WAL lets a second connection read committed rows). */
export function rows<R>(dataDir: string, sql: string): R[] {
  const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
  try {
    return db.prepare<[], R>(sql).all();
  } finally {
    db.close();
  }
}
