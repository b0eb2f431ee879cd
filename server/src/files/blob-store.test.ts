import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomFile } from '../testing/archive';
import { diskBlobStore, type BlobStore } from './blob-store';

describe('the disk blob store', () => {
  let dir: string;
  let blobs: BlobStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'yc-blob-store-'));
    blobs = diskBlobStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const blobPath = (sha256: string) => join(dir, sha256.slice(0, 2), sha256);

  it('assembles a partial from positional writes and commits it under its hash only when it checks out', async () => {
    const file = randomFile(10_000);
    await blobs.write('s1-up', 0, file.bytes.subarray(0, 4000));
    // A write again over bytes it has (a retry) leaves them as they were.
    await blobs.write('s1-up', 2000, file.bytes.subarray(2000, 7000));
    expect(await blobs.partialSize('s1-up')).toBe(7000);
    expect(await blobs.storedSize(file.sha256)).toBeUndefined();
    await blobs.write('s1-up', 7000, file.bytes.subarray(7000));
    expect(await blobs.commit('s1-up', file.sha256, file.size)).toBe(true);
    expect(readFileSync(blobPath(file.sha256)).equals(file.bytes)).toBe(true);
    expect(await blobs.partialSize('s1-up')).toBe(0);
    expect(await blobs.storedSize(file.sha256)).toBe(10_000);
    const part = await blobs.read(file.sha256, 9000, 5000);
    expect(part.ok && part.bytes.equals(file.bytes.subarray(9000))).toBe(true);
    expect(part.ok && part.size).toBe(10_000);
  });

  it('discards a partial whose bytes or length are not the named file, and stores nothing', async () => {
    const file = randomFile(3000);
    const wrong = Buffer.from(file.bytes);
    wrong[1500]! ^= 0x01;
    await blobs.write('s1-bad', 0, wrong);
    expect(await blobs.commit('s1-bad', file.sha256, file.size)).toBe(false);
    expect(await blobs.partialSize('s1-bad')).toBe(0);
    expect(existsSync(blobPath(file.sha256))).toBe(false);
    await blobs.write('s1-short', 0, file.bytes.subarray(0, 2999));
    expect(await blobs.commit('s1-short', file.sha256, file.size)).toBe(false);
    expect(await blobs.commit('s1-none', file.sha256, file.size)).toBe(false);
  });

  it('hashes a blob on every read: a damaged one is reported, never returned, and can be put aside', async () => {
    const file = randomFile(5000);
    await blobs.write('s1-up', 0, file.bytes);
    await blobs.commit('s1-up', file.sha256, file.size);
    const damaged = Buffer.from(file.bytes);
    damaged[4999]! ^= 0x80;
    writeFileSync(blobPath(file.sha256), damaged);
    expect(await blobs.read(file.sha256, 0, 10)).toEqual({ ok: false, problem: 'corrupt' });
    await blobs.quarantine(file.sha256);
    expect(await blobs.read(file.sha256, 0, 10)).toEqual({ ok: false, problem: 'missing' });
    expect(await blobs.storedSize(file.sha256)).toBeUndefined();
    const kept = readdirSync(join(dir, 'quarantine'));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.startsWith(`${file.sha256}.`)).toBe(true);
    expect(readFileSync(join(dir, 'quarantine', kept[0]!)).equals(damaged)).toBe(true);
  });

  it('refuses names that are not hashes or upload names, since they become paths', async () => {
    await expect(blobs.read('../../etc/passwd', 0, 1)).rejects.toThrow('invalid blob store name');
    await expect(blobs.write('../escape', 0, Buffer.from('x'))).rejects.toThrow('invalid blob store name');
    await expect(blobs.storedSize('A'.repeat(64))).rejects.toThrow('invalid blob store name');
    await expect(blobs.quarantine('../central.db')).rejects.toThrow('invalid blob store name');
  });
});
