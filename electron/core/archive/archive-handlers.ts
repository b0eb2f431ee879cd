import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import { caseStore, type CaseRow } from '../cases/case-store';
import type { CoreDeps } from '../platform/deps';
import { formatLocal } from '../platform/local-time';
import { registryQueries } from '../registry/registry-queries';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import { archiveCatalogue } from './archive-catalogue';
import { archiveStore } from './archive-store';
import { pageHandlers } from './page-handlers';
import type { PageCompression } from './page-image';
import { pageStore } from './page-store';

export interface ArchiveDeps extends CoreDeps {
  db: Database;
  dataDir: string;
  commands: CommandRunner;
  station: StationQueries;
  operators: OperatorQueries;
  timeZone: string;
  compression?: PageCompression;
}

type ArchiveMethods = 'pages.attach' | 'pages.list' | 'pages.get' | 'pages.remove' | 'archive.file' | 'archive.seal' | 'archive.search';

/** The electronic archive: the pages of cases (page-handlers.ts), and filing, sealing and searching their volumes. */
export function archiveHandlers(deps: ArchiveDeps): Pick<Handlers, ArchiveMethods> {
  const { db, commands } = deps;
  const pages = pageStore(db, deps.dataDir);
  const volumes = archiveStore(db);
  // Only rows and documents are used here, so the form labels the case store would need do not matter.
  const cases = caseStore(db, () => []);
  const registry = registryQueries(db);

  const caseOr404 = (id: string): CaseRow => {
    const row = cases.byId(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该案件');
    return row;
  };

  return {
    ...pageHandlers({ ...deps, pages, volumes, caseOr404 }),

    'archive.file'({ caseId }, ctx) {
      return commands.run(ctx.actor, () => {
        const row = caseOr404(caseId);
        if (row.status !== 'delivered') throw new ApiError('CONFLICT', '案件尚未出件，不能归档');
        if (volumes.get(caseId)?.sealedAt) throw new ApiError('CONFLICT', '档案已封存，不能重新立卷');
        const filed = pages.list(caseId);
        const materials = JSON.parse(row.materials_json) as { code: string; name: string; status: string }[];
        const person = row.person_id ? registry.person(row.person_id) : undefined;
        const at = deps.clock.now().toISOString();
        const catalogue = archiveCatalogue({
          caseNo: row.case_no,
          subItemName: row.sub_item_name,
          applicant: person ? { name: person.name, idNumber: person.id_number } : null,
          // Every paper received, and any other material a page was filed for.
          entries: materials
            .map((m) => ({
              material: m.name,
              received: m.status === 'received',
              pages: filed.filter((p) => p.materialCode === m.code).length,
            }))
            .filter((e) => e.received || e.pages > 0)
            .map(({ material, pages: n }) => ({ material, pages: n })),
          stationName: deps.station.get()?.name ?? '',
          operatorName: deps.operators.byId(ctx.actor.operatorId!)?.display_name ?? '—',
          localTime: formatLocal(at, deps.timeZone),
        });
        const document = cases.insertDocument({
          id: deps.newId(),
          kind: catalogue.kind,
          title: catalogue.title,
          case_id: caseId,
          person_id: row.person_id,
          document: catalogue.document,
          created_at: at,
          operator_id: ctx.actor.operatorId,
        });
        volumes.file({ caseId, documentId: document.id, operatorId: ctx.actor.operatorId!, at });
        const volume = volumes.get(caseId)!;
        return {
          result: { volume, document },
          audit: {
            action: 'archive.file',
            class: 'key',
            entityType: 'case',
            entityId: caseId,
            after: { caseNo: row.case_no, pages: volume.pages, documentId: document.id },
          },
        };
      });
    },

    'archive.seal'({ caseId }, ctx) {
      return commands.run(ctx.actor, () => {
        caseOr404(caseId);
        const volume = volumes.get(caseId);
        if (!volume) throw new ApiError('CONFLICT', '案件尚未归档，不能封存');
        if (!volumes.seal(caseId, ctx.actor.operatorId!, deps.clock.now().toISOString())) throw new ApiError('CONFLICT', '档案已封存');
        const sealed = volumes.get(caseId)!;
        return {
          result: sealed,
          audit: {
            action: 'archive.seal',
            class: 'key',
            entityType: 'case',
            entityId: caseId,
            after: { caseNo: sealed.caseNo, pages: sealed.pages },
          },
        };
      });
    },

    'archive.search': (query) => volumes.search(query),
  };
}
