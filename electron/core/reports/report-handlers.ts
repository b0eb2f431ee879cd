import type { Database } from 'better-sqlite3';
import type { Handlers } from '../api/handlers';
import type { CatalogueRef } from '../catalogue/reference';
import type { Clock } from '../platform/deps';
import type { StationQueries } from '../station/station';
import { reportBuilder } from './build-report';
import { reportToPdf, reportToXlsx } from './export';

const MIME = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;

export function reportHandlers(deps: {
  db: Database;
  catalogue: CatalogueRef;
  station: StationQueries;
  clock: Clock;
  timeZone: string;
}): Pick<Handlers, 'reports.run' | 'reports.export'> {
  const build = reportBuilder(deps);
  const run = (kind: Parameters<typeof build>[0], from: string, to: string) =>
    build(kind, from, to, deps.station.get()?.name ?? '', deps.clock.now());
  return {
    'reports.run': ({ kind, from, to }) => run(kind, from, to),
    async 'reports.export'({ kind, from, to, format }) {
      const report = run(kind, from, to);
      const bytes = format === 'xlsx' ? await reportToXlsx(report) : await reportToPdf(report);
      return {
        fileName: `${report.stationName}${report.title}_${from}_${to}.${format}`,
        mimeType: MIME[format],
        base64: bytes.toString('base64'),
      };
    },
  };
}
