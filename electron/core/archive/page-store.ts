import type { Database } from 'better-sqlite3';
import type { PageView } from '#shared/api/archive';
import { pageFiles, type StoredMime } from './page-files';
import type { PreparedPage } from './page-image';

interface PageRow {
  id: string;
  case_id: string;
  material_code: string;
  seq: number;
  sha256: string;
  name: string;
  attached_by: string;
  attached_at: string;
  removed_at: string | null;
  supplement: 0 | 1;
  mime: StoredMime;
  size: number;
  width: number | null;
  height: number | null;
  attached_by_name: string | null;
}

const SELECT_PAGE = `SELECT p.*, b.mime, b.size, b.width, b.height, o.display_name AS attached_by_name
  FROM case_page p JOIN page_blob b ON b.sha256 = p.sha256 LEFT JOIN operator o ON o.id = p.attached_by`;

const toView = (r: PageRow): PageView => ({
  id: r.id,
  caseId: r.case_id,
  materialCode: r.material_code,
  seq: r.seq,
  sha256: r.sha256,
  mime: r.mime,
  size: r.size,
  width: r.width,
  height: r.height,
  name: r.name,
  attachedAt: r.attached_at,
  attachedByName: r.attached_by_name ?? '—',
  supplement: r.supplement === 1,
});

/**
 * The pages of cases: bytes in content-addressed files (page-files.ts), metadata in SQLite. `store` writes the file
 * before the command's transaction (an unreferenced file is harmless, a row without its file is not); `attach` and
 * `remove` run inside it.
 */
export function pageStore(db: Database, dataDir: string) {
  const files = pageFiles(dataDir);
  const insertBlob = db.prepare(
    `INSERT OR IGNORE INTO page_blob (sha256, mime, size, width, height, created_at) VALUES (@sha256, @mime, @size, @width, @height, @at)`,
  );
  const insertPage = db.prepare(
    `INSERT INTO case_page (id, case_id, material_code, seq, sha256, name, attached_by, attached_at, supplement)
     VALUES (@id, @caseId, @materialCode,
       (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_page WHERE case_id = @caseId AND material_code = @materialCode),
       @sha256, @name, @operatorId, @at, @supplement)`,
  );
  const byId = db.prepare<[string], PageRow>(`${SELECT_PAGE} WHERE p.id = ? AND p.removed_at IS NULL`);
  const ofCase = db.prepare<[string], PageRow>(
    `${SELECT_PAGE} WHERE p.case_id = ? AND p.removed_at IS NULL ORDER BY p.material_code, p.seq`,
  );
  const markRemoved = db.prepare('UPDATE case_page SET removed_by = ?, removed_at = ? WHERE id = ? AND removed_at IS NULL');
  // Every stored file waits for file sync from the moment its first page is attached (migration 0009).
  const insertUpload = db.prepare('INSERT OR IGNORE INTO page_upload (sha256, updated_at) VALUES (@sha256, @at)');
  // A file that failed its hash waits for a good copy: from the central office (file sync) or a new capture of it.
  const markDamaged = db.prepare<{ sha256: string; at: string; error: string }>(
    `UPDATE page_upload SET damaged_at = COALESCE(damaged_at, @at), last_error = @error, updated_at = @at WHERE sha256 = @sha256`,
  );
  const markWhole = db.prepare<{ sha256: string; at: string }>(
    `UPDATE page_upload SET damaged_at = NULL, repaired_at = @at, last_error = NULL, updated_at = @at
      WHERE sha256 = @sha256 AND damaged_at IS NOT NULL`,
  );

  return {
    files,
    /** Writes the bytes to disk (once per content) and returns their hash. */
    store: (page: PreparedPage) => files.write(page.bytes, page.mime),
    attach(
      p: {
        id: string;
        caseId: string;
        materialCode: string;
        sha256: string;
        name: string;
        operatorId: string;
        at: string;
        supplement: boolean;
      } & PreparedPage,
    ) {
      insertBlob.run({ sha256: p.sha256, mime: p.mime, size: p.bytes.length, width: p.width, height: p.height, at: p.at });
      insertUpload.run({ sha256: p.sha256, at: p.at });
      // The same content captured again was just written whole (store): a damaged copy is repaired by it.
      markWhole.run({ sha256: p.sha256, at: p.at });
      insertPage.run({
        id: p.id,
        caseId: p.caseId,
        materialCode: p.materialCode,
        sha256: p.sha256,
        name: p.name,
        operatorId: p.operatorId,
        at: p.at,
        supplement: p.supplement ? 1 : 0,
      });
      return toView(byId.get(p.id)!);
    },
    get: (pageId: string) => {
      const row = byId.get(pageId);
      return row && toView(row);
    },
    list: (caseId: string) => ofCase.all(caseId).map(toView),
    /** The page's bytes, verified against its hash (throws PageIntegrityError). */
    read: (page: PageView) => files.read(page.sha256, page.mime as StoredMime),
    remove: (pageId: string, operatorId: string, at: string) => markRemoved.run(operatorId, at, pageId).changes === 1,
    /** The file is missing or failed its hash: it is never uploaded, and file sync fetches it from the central office. */
    markDamaged: (sha256: string, at: string, error: string) => markDamaged.run({ sha256, at, error }),
    /** A verified copy replaced the damaged file. */
    markRepaired: (sha256: string, at: string) => markWhole.run({ sha256, at }),
  };
}
export type PageStore = ReturnType<typeof pageStore>;
