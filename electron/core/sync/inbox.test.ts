import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConflictChange } from '#shared/sync/changes';
import { tempDir } from '../testing/fixture';
import { openStore } from '../store/open';
import { inboxStore } from './inbox';

let dir: string;
let db: Database;
beforeEach(() => {
  dir = tempDir('yc-inbox-');
  db = openStore(join(dir, 'store.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const conflict: ConflictChange = {
  id: 'c1',
  kind: 'field',
  entity: 'person',
  entityId: 'p1',
  field: 'phone',
  baseVersion: 1,
  serverValue: '13900000009',
  deviceValue: '13800000001',
  opId: 'op1',
  createdAt: '2026-11-29T09:00:00.000Z',
};

describe('the sync inbox', () => {
  it('shows a conflict until the back office decides it, then files it as resolved centrally', () => {
    let n = 0;
    const inbox = inboxStore(db, () => `i${++n}`);
    inbox.conflict(conflict, { seq: 7, type: 'person.patched' });
    expect(inbox.openCount()).toBe(1);
    // The same conflict again (a page fetched twice) stays one entry.
    inbox.conflict(conflict, { seq: 7, type: 'person.patched' });
    expect(inbox.list(true)).toHaveLength(1);

    inbox.conflict(
      { ...conflict, resolution: 'device', resolvedAt: '2026-11-29T10:00:00.000Z', resolvedBy: 'r9' },
      { seq: 7, type: 'person.patched' },
    );
    expect(inbox.openCount()).toBe(0);
    expect(inbox.list(true)[0]).toMatchObject({
      resolution: 'resend_device',
      resolvedAt: '2026-11-29T10:00:00.000Z',
      resolvedBy: 'central:r9',
    });
  });

  it('keeps a decision this PC made before the central one arrives', () => {
    const inbox = inboxStore(db, () => 'i1');
    inbox.conflict(conflict, { seq: 7, type: 'person.patched' });
    inbox.resolve('i1', 'local-reviewer', 'keep_server', '2026-11-29T09:30:00.000Z');
    inbox.conflict(
      { ...conflict, resolution: 'device', resolvedAt: '2026-11-29T10:00:00.000Z', resolvedBy: 'r9' },
      { seq: 7, type: 'person.patched' },
    );
    expect(inbox.get('i1')).toMatchObject({ resolution: 'keep_server', resolvedBy: 'local-reviewer' });
  });
});
