import type { Database } from 'better-sqlite3';
import type { ArchiveSettings, VolumeView } from '#shared/api/archive';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import type { CatalogueRef } from '../catalogue/reference';
import { caseStore, type CaseRow } from '../cases/case-store';
import type { CoreDeps } from '../platform/deps';
import { formatLocal, instantRange, localTime } from '../platform/local-time';
import { registryQueries } from '../registry/registry-queries';
import type { StationQueries } from '../station/station';
import type { Actor, CommandRunner } from '../store/command';
import type { SyncTimers } from '../sync/sync-engine';
import { archiveCatalogue } from './archive-catalogue';
import { autoSealSchedule } from './archive-schedule';
import { archiveStore } from './archive-store';
import { pageHandlers } from './page-handlers';
import { DEFAULT_COMPRESSION, type PageCompression } from './page-image';
import { readMeta, writeMeta } from '../backup/meta';
import { pageStore } from './page-store';
import { retentionStore, retentionUntil } from './retention';

export interface ArchiveDeps extends CoreDeps {
  db: Database;
  dataDir: string;
  commands: CommandRunner;
  station: StationQueries;
  operators: OperatorQueries;
  timeZone: string;
  /** The catalogue in force: the retention table lists its sub-items. */
  catalogue: CatalogueRef;
  /** Overrides the administrator's setting (tests). */
  compression?: PageCompression;
  /** Timers of the auto-seal schedule, for tests. */
  timers?: SyncTimers | undefined;
}

type ArchiveMethods =
  | 'pages.attach'
  | 'pages.list'
  | 'pages.get'
  | 'pages.remove'
  | 'archive.file'
  | 'archive.seal'
  | 'archive.search'
  | 'archive.settings'
  | 'archive.setRetention'
  | 'archive.setAutoSeal'
  | 'archive.setCompression';

/**
 * The electronic archive: the pages of cases (page-handlers.ts), filing, sealing and searching their volumes, their
 * retention (retention.ts), and sealing on schedule (archive-schedule.ts), which createCore starts and stops.
 */
export function archiveService(deps: ArchiveDeps) {
  const { db, commands } = deps;
  const pages = pageStore(db, deps.dataDir);
  const thisYear = () => Number(localTime(deps.clock.now(), deps.timeZone).date.slice(0, 4));
  const volumes = archiveStore(db, thisYear);
  const retention = retentionStore(db);
  // Only rows and documents are used here, so the form labels the case store would need do not matter.
  const cases = caseStore(db, () => []);
  const registry = registryQueries(db);

  const caseOr404 = (id: string): CaseRow => {
    const row = cases.byId(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该案件');
    return row;
  };

  /** 封存, by an administrator or by the schedule (the system, with the setting that sealed it). */
  const seal = (actor: Actor, caseId: string, schedule?: { afterDays: number }): VolumeView =>
    commands.run(actor, () => {
      caseOr404(caseId);
      if (!volumes.get(caseId)) throw new ApiError('CONFLICT', '案件尚未归档，不能封存');
      const at = deps.clock.now().toISOString();
      if (!volumes.seal(caseId, actor.operatorId, at)) throw new ApiError('CONFLICT', '档案已封存');
      const sealed = volumes.get(caseId)!;
      return {
        result: sealed,
        audit: {
          action: 'archive.seal',
          class: 'key',
          entityType: 'case',
          entityId: caseId,
          after: { caseNo: sealed.caseNo, pages: sealed.pages, ...(schedule && { autoSeal: schedule }) },
        },
        outbox: { type: 'archive.sealed', payload: { caseId, at } },
      };
    });

  // In the meta table, so it travels with the store and its backups.
  const COMPRESSION = 'archive.compression';
  const compression = (): PageCompression => deps.compression ?? readMeta(db, COMPRESSION, DEFAULT_COMPRESSION);

  const schedule = autoSealSchedule({ db, commands, clock: deps.clock, logger: deps.logger, timers: deps.timers, volumes, seal });

  const settings = (): ArchiveSettings => ({
    autoSealDays: schedule.afterDays(),
    nextCheckAt: schedule.nextCheckAt(),
    retention: retention.rows(deps.catalogue.current()),
    compression: compression(),
  });

  const handlers: Pick<Handlers, ArchiveMethods> = {
    ...pageHandlers({ ...deps, pages, volumes, caseOr404, compression }),

    'archive.file'({ caseId }, ctx) {
      return commands.run(ctx.actor, () => {
        const row = caseOr404(caseId);
        if (row.status !== 'delivered') throw new ApiError('CONFLICT', '案件尚未出件，不能归档');
        if (volumes.get(caseId)?.sealedAt) throw new ApiError('CONFLICT', '档案已封存，不能重新立卷');
        const filed = pages.list(caseId);
        const materials = JSON.parse(row.materials_json) as { code: string; name: string; status: string }[];
        const person = row.person_id ? registry.person(row.person_id) : undefined;
        const at = deps.clock.now().toISOString();
        const years = retention.inForce(row.item_code, row.sub_item_code);
        const until = retentionUntil(at, years, deps.timeZone);
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
          retention: { years, until },
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
        volumes.file({
          caseId,
          documentId: document.id,
          operatorId: ctx.actor.operatorId!,
          at,
          retentionYears: years,
          retentionUntil: until,
        });
        const volume = volumes.get(caseId)!;
        return {
          result: { volume, document },
          audit: {
            action: 'archive.file',
            class: 'key',
            entityType: 'case',
            entityId: caseId,
            after: { caseNo: row.case_no, pages: volume.pages, documentId: document.id, retentionYears: years, retentionUntil: until },
          },
          outbox: { type: 'archive.filed', payload: { caseId, documentId: document.id, pageCount: volume.pages, at } },
        };
      });
    },

    'archive.seal': ({ caseId }, ctx) => seal(ctx.actor, caseId),

    'archive.search'({ dateOf, from, to, ...criteria }) {
      if (dateOf === 'business') return volumes.search({ ...criteria, from, to });
      const filed = instantRange(from, to, deps.timeZone);
      return volumes.search({ ...criteria, filedFrom: filed.from, filedTo: filed.to });
    },

    'archive.settings': settings,

    'archive.setRetention'({ code, years }, ctx) {
      commands.run(ctx.actor, () => {
        // An item code sets every sub-item of the item.
        const rows = retention.rows(deps.catalogue.current()).filter((r) => r.subItemCode === code || r.itemCode === code);
        if (rows.length === 0) throw new ApiError('NOT_FOUND', `事项目录中没有编码为${code}的事项`);
        const at = deps.clock.now().toISOString();
        for (const row of rows) retention.set(row, years, ctx.actor.operatorId!, at);
        return {
          result: null,
          audit: {
            action: 'archive.retention',
            class: 'key',
            entityType: 'archive',
            entityId: code,
            before: Object.fromEntries(rows.map((r) => [r.subItemCode, r.years])),
            after: Object.fromEntries(rows.map((r) => [r.subItemCode, years])),
          },
        };
      });
      return settings();
    },

    'archive.setAutoSeal'({ afterDays }, ctx) {
      schedule.update(ctx.actor, afterDays);
      return settings();
    },

    'archive.setCompression'(next, ctx) {
      commands.run(ctx.actor, (tx) => {
        const before = compression();
        writeMeta(tx, COMPRESSION, next);
        return { result: null, audit: { action: 'archive.compression', class: 'key', entityType: 'archive', before, after: next } };
      });
      return settings();
    },
  };

  return { handlers, schedule };
}
