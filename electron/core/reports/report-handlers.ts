import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { CatalogueRef } from '../catalogue/reference';
import type { Clock } from '../platform/deps';
import type { StationQueries } from '../station/station';
import { reportBuilder } from './build-report';
import { reportToPdf, reportToXlsx, type ExportControl } from './export';

const MIME = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;

export function reportHandlers(deps: {
  db: Database;
  catalogue: CatalogueRef;
  station: StationQueries;
  clock: Clock;
  timeZone: string;
}): Pick<Handlers, 'reports.run' | 'reports.export' | 'reports.cancelExport'> {
  const build = reportBuilder(deps);
  const run = (kind: Parameters<typeof build>[0], from: string, to: string) =>
    build(kind, from, to, deps.station.get()?.name ?? '', deps.clock.now());
  /** Exports under way, by the caller's id; each notes the connection that started it, the only one that may stop it. */
  const running = new Map<string, { connectionId: string; cancelled: boolean }>();

  return {
    'reports.run': ({ kind, from, to }) => run(kind, from, to),
    async 'reports.export'({ kind, from, to, format, exportId }, { connection }) {
      if (running.has(exportId)) throw new ApiError('CONFLICT', '该导出已在进行中');
      const state = { connectionId: connection.id, cancelled: false };
      running.set(exportId, state);
      const control: ExportControl = {
        progress: (done, total) => connection.emit({ type: 'reports.exportProgress', exportId, done, total }),
        async checkpoint() {
          await nextTurn();
          if (state.cancelled) throw new ApiError('CONFLICT', '导出已取消', { reason: 'cancelled' });
        },
      };
      try {
        const report = run(kind, from, to);
        const bytes = format === 'xlsx' ? await reportToXlsx(report, control) : await reportToPdf(report, control);
        return {
          fileName: `${report.stationName}${report.title}_${from}_${to}.${format}`,
          mimeType: MIME[format],
          base64: bytes.toString('base64'),
        };
      } finally {
        running.delete(exportId);
      }
    },
    'reports.cancelExport'({ exportId }, { connection }) {
      const state = running.get(exportId);
      if (state?.connectionId === connection.id) state.cancelled = true;
      return { ok: true as const };
    },
  };
}
