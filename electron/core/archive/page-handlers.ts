import type { PageView } from '#shared/api/archive';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { CaseRow } from '../cases/case-store';
import type { CoreDeps } from '../platform/deps';
import type { CommandRunner } from '../store/command';
import { PageIntegrityError } from './page-files';
import { preparePage, sniffMime, type PageCompression } from './page-image';
import { pageUploads } from './page-uploads';
import type { ArchiveStore } from './archive-store';
import type { PageStore } from './page-store';

export interface PageDeps extends CoreDeps {
  /** Where large files are staged before they are attached (page-uploads.ts). */
  dataDir: string;
  commands: CommandRunner;
  /** The case's row, or NOT_FOUND. */
  caseOr404: (id: string) => CaseRow;
  pages: PageStore;
  volumes: ArchiveStore;
  /** The size and quality images are stored at, as set now. */
  compression: () => PageCompression;
}

/** `pages.*`: capture and import of material pages at the counter, and their display wherever a case is shown. */
export function pageHandlers(deps: PageDeps): Pick<Handlers, 'pages.attach' | 'pages.list' | 'pages.get' | 'pages.remove'> {
  const { commands, pages, volumes, caseOr404 } = deps;
  const uploads = pageUploads(deps.dataDir);
  const pageOr404 = (id: string): PageView => {
    const page = pages.get(id);
    if (!page) throw new ApiError('NOT_FOUND', '未找到该材料影像');
    return page;
  };

  return {
    async 'pages.attach'({ caseId, materialCode, file }, ctx) {
      const found = caseOr404(caseId);
      const material = (JSON.parse(found.materials_json) as { code: string; name: string }[]).find((m) => m.code === materialCode);
      if (!material) throw new ApiError('VALIDATION', `材料编码${materialCode}不属于该案件`);
      if (found.status === 'withdrawn') throw new ApiError('CONFLICT', '案件已撤回，不能再添加材料影像');
      const raw = 'dataBase64' in file ? Buffer.from(file.dataBase64, 'base64') : uploads.take(file.uploadId, file.size);
      const sniffed = sniffMime(raw);
      // Decoding and compressing are slow: done before the transaction, the file written before its row exists.
      const prepared = await preparePage(raw, deps.compression());
      const sha256 = pages.store(prepared);
      return commands.run(ctx.actor, () => {
        caseOr404(caseId);
        // A sealed volume never changes: a page added later is a supplement beside it (补充归档), audited as such.
        const supplement = volumes.get(caseId)?.sealedAt != null;
        const at = deps.clock.now().toISOString();
        const page = pages.attach({
          supplement,
          ...prepared,
          id: deps.newId(),
          caseId,
          materialCode,
          sha256,
          name: file.name,
          operatorId: ctx.actor.operatorId!,
          at,
        });
        return {
          result: page,
          audit: {
            action: supplement ? 'archive.supplement' : 'case.page_attach',
            class: supplement ? 'key' : 'general',
            entityType: 'case',
            entityId: caseId,
            after: {
              pageId: page.id,
              material: material.name,
              seq: page.seq,
              sha256,
              size: page.size,
              mime: page.mime,
              // What the browser claimed, when the bytes said otherwise: a renamed file is accepted by its content.
              ...(file.mime !== sniffed ? { claimedMime: file.mime } : {}),
            },
          },
          outbox: {
            type: 'case.page_attached',
            payload: { pageId: page.id, caseId, materialCode, sha256, size: page.size, mime: page.mime, seq: page.seq, at },
          },
        };
      });
    },

    'pages.list'({ caseId }) {
      caseOr404(caseId);
      return pages.list(caseId);
    },

    'pages.get'({ pageId }) {
      const page = pageOr404(pageId);
      try {
        return { page, dataUrl: `data:${page.mime};base64,${pages.read(page).toString('base64')}` };
      } catch (err) {
        if (!(err instanceof PageIntegrityError)) throw err;
        deps.logger.error('page failed its hash', { pageId, caseId: page.caseId, sha256: page.sha256, found: err.found });
        // Sync bookkeeping, not business data: the next round fetches a verified copy if the central office has one.
        pages.markDamaged(page.sha256, deps.clock.now().toISOString(), err.message);
        throw new ApiError('CONFLICT', `${err.message}，不能显示；将在下次同步时从中心取回，如中心也没有请重新采集`, {
          reason: 'page_corrupt',
        });
      }
    },

    'pages.remove'({ pageId }, ctx) {
      return commands.run(ctx.actor, () => {
        const page = pageOr404(pageId);
        const row = caseOr404(page.caseId);
        if (row.status === 'delivered') throw new ApiError('CONFLICT', '案件已出件，材料影像不能再删除');
        const at = deps.clock.now().toISOString();
        if (!pages.remove(pageId, ctx.actor.operatorId!, at)) throw new ApiError('CONFLICT');
        return {
          result: { ok: true as const },
          audit: {
            action: 'case.page_remove',
            class: 'key',
            entityType: 'case',
            entityId: page.caseId,
            before: { pageId, materialCode: page.materialCode, seq: page.seq, sha256: page.sha256 },
          },
          outbox: { type: 'case.page_removed', payload: { pageId, caseId: page.caseId, at } },
        };
      });
    },
  };
}
