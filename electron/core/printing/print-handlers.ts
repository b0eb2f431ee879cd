import type { Database } from 'better-sqlite3';
import { PRINT_JOB_STATE_LABELS, type PrintJobState } from '#shared/api/devices';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import { caseStore } from '../cases/case-store';
import type { CoreDeps } from '../platform/deps';
import { formatLocal } from '../platform/local-time';
import type { StationQueries } from '../station/station';
import type { Actor, CommandRunner } from '../store/command';
import type { DeviceSettingsStore } from '../system/devices';
import { toPrintJob } from './print-jobs';
import type { PrintingService } from './printing-service';
import { testPage } from './templates';

export interface PrintDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  printing: PrintingService;
  station: StationQueries;
  settings: DeviceSettingsStore;
  timeZone: string;
}

/** Which jobs each decision applies to: only the teller can tell whether an uncertain job printed. */
const RESOLVABLE: Record<'printed' | 'reprint' | 'cancel', readonly PrintJobState[]> = {
  printed: ['uncertain'],
  reprint: ['uncertain'],
  cancel: ['queued', 'failed_waiting', 'blocked', 'uncertain'],
};
const RESOLUTION_LABELS = { printed: '确认已打印', reprint: '补打', cancel: '取消' } as const;

/** Why a document may not be reprinted while its last job stands as it does. */
const REPRINT_REFUSALS: Partial<Record<PrintJobState, string>> = {
  queued: '该单据正在排队打印，无需补打',
  printing: '该单据正在打印，无需补打',
  failed_waiting: '该单据在等待打印机恢复后自动打印，无需补打',
  uncertain: '该单据上次打印结果待确认，请在打印队列中确认已打印或补打',
  blocked: '该单据含有打印机无法打印的字符，补打同样无法打印',
};

export function printHandlers(
  deps: PrintDeps,
): Pick<Handlers, 'print.queue' | 'print.resolve' | 'document.reprint' | 'printer.test' | 'printer.simulate' | 'printer.lastOutput'> {
  const { printing, commands } = deps;
  const documents = caseStore(deps.db, () => []);
  const jobView = (id: string) => toPrintJob(printing.jobs.byId(id)!);

  /** A 补打 job for the document, inside the caller's command; returns its id. */
  function reprint(documentId: string, of: string | null, actor: Actor): string {
    const document = printing.jobs.document(documentId);
    if (!document) throw new ApiError('NOT_FOUND', '未找到该单据');
    return printing.enqueue({ id: documentId, document }, { operatorId: actor.operatorId, at: deps.clock.now().toISOString() }, { of });
  }

  return {
    'print.queue': () => ({ jobs: printing.queue() }),

    'print.resolve'({ jobId, action }, { actor }) {
      const resultId = commands.run(actor, () => {
        const job = printing.jobs.byId(jobId);
        if (!job) throw new ApiError('NOT_FOUND', '未找到该打印任务');
        if (!RESOLVABLE[action].includes(job.state)) {
          throw new ApiError('CONFLICT', `该任务当前为“${PRINT_JOB_STATE_LABELS[job.state]}”，不能${RESOLUTION_LABELS[action]}`);
        }
        const at = deps.clock.now().toISOString();
        if (action === 'printed') printing.jobs.set(job, { state: 'printed', printed_at: at, last_error: null, next_attempt_at: null });
        else printing.jobs.set(job, { state: 'cancelled', next_attempt_at: null });
        const reprintId = action === 'reprint' ? reprint(job.document_id, job.id, actor) : null;
        printing.announce(job.id);
        return {
          result: reprintId ?? job.id,
          audit: {
            action: action === 'reprint' ? 'document.reprint' : `print.${action === 'printed' ? 'confirm' : 'cancel'}`,
            class: action === 'reprint' ? 'key' : 'general',
            entityType: 'print_job',
            entityId: job.id,
            before: { state: job.state, lastError: job.last_error },
            after: { documentId: job.document_id, title: job.title, decision: action, reprintJobId: reprintId },
          },
          outbox: {
            type: 'print.resolved',
            payload: { jobId: job.id, documentId: job.document_id, decision: action, reprintJobId: reprintId },
          },
        };
      });
      return jobView(resultId);
    },

    'document.reprint'({ documentId }, { actor }) {
      const id = commands.run(actor, () => {
        const last = printing.jobs.latestForDocument(documentId);
        const refusal = last ? REPRINT_REFUSALS[printing.jobs.byId(last)!.state] : undefined;
        if (refusal) throw new ApiError('CONFLICT', refusal);
        const jobId = reprint(documentId, last, actor);
        return {
          result: jobId,
          audit: {
            action: 'document.reprint',
            class: 'key',
            entityType: 'document',
            entityId: documentId,
            after: { jobId, reprintOf: last },
          },
          outbox: { type: 'document.reprinted', payload: { documentId, jobId, reprintOf: last } },
        };
      });
      return jobView(id);
    },

    'printer.test'(_params, { actor }) {
      const id = commands.run(actor, () => {
        const settings = deps.settings.get();
        const at = deps.clock.now().toISOString();
        const page = testPage({ ...settings, stationName: deps.station.get()?.name ?? '', printedAt: formatLocal(at, deps.timeZone) });
        const doc = documents.insertDocument({
          id: deps.newId(),
          kind: page.kind,
          title: page.title,
          case_id: null,
          person_id: null,
          document: page.document,
          created_at: at,
          operator_id: actor.operatorId,
        });
        const jobId = printing.enqueue({ id: doc.id, document: page.document }, { operatorId: actor.operatorId, at });
        return {
          result: jobId,
          audit: {
            action: 'printer.test',
            class: 'general',
            entityType: 'print_job',
            entityId: jobId,
            after: { printerUri: settings.printerUri },
          },
          outbox: { type: 'printer.tested', payload: { jobId, printerUri: settings.printerUri } },
        };
      });
      return jobView(id);
    },

    'printer.simulate': (change) => printing.simulate(change),
    'printer.lastOutput': () => printing.lastOutput(),
  };
}
