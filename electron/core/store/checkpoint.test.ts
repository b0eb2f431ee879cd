import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../testing/fixture';
import { startCheckpointer } from './checkpoint';
import { openStore } from './open';

afterEach(() => vi.useRealTimers());

describe('the checkpointer', () => {
  it('never checkpoints inside a commit, and folds the WAL back on its timer', () => {
    vi.useFakeTimers();
    const file = join(tempDir(), 'store.db');
    const db = openStore(file);
    const checkpointer = startCheckpointer(db, 1000);
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, hex(randomblob(2000)))');
    const mainSize = statSync(file).size;
    // Far past the 1,000-page automatic threshold: the main file must not grow during commits.
    for (let i = 0; i < 3000; i++) insert.run(`k${i}`);
    expect(statSync(file).size).toBe(mainSize);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1000 * 4096);
    vi.advanceTimersByTime(1000);
    expect(statSync(file).size).toBeGreaterThan(mainSize + 3000 * 2000);
    checkpointer.stop();
    db.close();
  });
});
