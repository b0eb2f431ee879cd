import type { Database } from 'better-sqlite3';
import type { PrintJob, PrintJobState } from '#shared/api/devices';
import type { PrintDocument } from '#shared/documents/print-document';

/** The counter's receipt printer; a hall host may add a ticket printer under another name. */
export const RECEIPT_PRINTER = 'receipt';

export interface PrintJobRow {
  seq: number;
  id: string;
  document_id: string;
  printer: string;
  state: PrintJobState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  reprint: 0 | 1;
  reprint_of: string | null;
  operator_id: string | null;
  created_at: string;
  printed_at: string | null;
}

/** A job with what the printer and the UI need of its document. */
export interface PrintJobWithDocument extends PrintJobRow {
  title: string;
  kind: string;
  model_json: string;
  document_created_at: string;
}

export interface NewPrintJob {
  id: string;
  documentId: string;
  printer: string;
  createdAt: string;
  operatorId: string | null;
  reprintOf?: string | null;
  reprint?: boolean;
  /** Set when the document cannot be printed as it is: the job is 'blocked' with this message. */
  blockedBecause?: string;
}

const SELECT = `
  SELECT j.*, d.title, d.kind, d.model_json, d.created_at AS document_created_at
  FROM print_job j JOIN document d ON d.id = j.document_id`;

export type PrintJobQueries = ReturnType<typeof printJobQueries>;

export function printJobQueries(db: Database) {
  const insert = db.prepare(
    `INSERT INTO print_job (id, document_id, printer, state, last_error, reprint, reprint_of, operator_id, created_at)
     VALUES (@id, @documentId, @printer, @state, @lastError, @reprint, @reprintOf, @operatorId, @createdAt)`,
  );
  const byId = db.prepare<[string], PrintJobWithDocument>(`${SELECT} WHERE j.id = ?`);
  const head = db.prepare<[string], PrintJobWithDocument>(
    `${SELECT} WHERE j.printer = ? AND j.state IN ('queued', 'failed_waiting') ORDER BY j.seq LIMIT 1`,
  );
  const latestForDocument = db.prepare<[string], { id: string }>(
    'SELECT id FROM print_job WHERE document_id = ? ORDER BY seq DESC LIMIT 1',
  );
  const update = db.prepare<{
    id: string;
    state: PrintJobState;
    attempts: number;
    nextAttemptAt: string | null;
    lastError: string | null;
    printedAt: string | null;
  }>(
    `UPDATE print_job SET state = @state, attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @lastError,
       printed_at = @printedAt WHERE id = @id`,
  );
  // Those needing the teller, whatever their age, then the latest of the rest.
  const list = db.prepare<[number], PrintJobWithDocument>(
    `${SELECT} WHERE j.state NOT IN ('printed', 'cancelled')
     UNION ALL
     SELECT * FROM (${SELECT} WHERE j.state IN ('printed', 'cancelled') ORDER BY j.seq DESC LIMIT ?)
     ORDER BY seq DESC`,
  );
  const documentModel = db.prepare<[string], { model_json: string }>('SELECT model_json FROM document WHERE id = ?');
  const interrupted = db.prepare<[string], { id: string }>(`SELECT id FROM print_job WHERE printer = ? AND state = 'printing'`);

  const set = (
    job: PrintJobRow,
    change: Partial<Pick<PrintJobRow, 'state' | 'attempts' | 'next_attempt_at' | 'last_error' | 'printed_at'>>,
  ) => {
    const next = { ...job, ...change };
    update.run({
      id: job.id,
      state: next.state,
      attempts: next.attempts,
      nextAttemptAt: next.next_attempt_at,
      lastError: next.last_error,
      printedAt: next.printed_at,
    });
  };

  return {
    /** Whether the store is still open: a write that finishes after the core closed records nothing. */
    get available(): boolean {
      return db.open;
    },
    insert(job: NewPrintJob): void {
      insert.run({
        id: job.id,
        documentId: job.documentId,
        printer: job.printer,
        state: job.blockedBecause ? 'blocked' : 'queued',
        lastError: job.blockedBecause ?? null,
        reprint: job.reprint ? 1 : 0,
        reprintOf: job.reprintOf ?? null,
        operatorId: job.operatorId,
        createdAt: job.createdAt,
      });
    },
    byId: (id: string) => byId.get(id),
    /** The next job to print: the oldest that is queued or waiting to retry. */
    head: (printer: string) => head.get(printer),
    latestForDocument: (documentId: string) => latestForDocument.get(documentId)?.id ?? null,
    document: (documentId: string): PrintDocument | undefined => {
      const row = documentModel.get(documentId);
      return row ? (JSON.parse(row.model_json) as PrintDocument) : undefined;
    },
    list: (recent: number) => list.all(recent),
    set,
    /** Jobs a previous run left mid-print: their bytes may have reached the printer. */
    interrupted: (printer: string) => interrupted.all(printer).map((r) => r.id),
  };
}

export function toPrintJob(row: PrintJobWithDocument): PrintJob {
  return {
    id: row.id,
    documentId: row.document_id,
    documentKind: row.kind,
    title: row.title,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    reprint: row.reprint === 1,
    reprintOf: row.reprint_of,
    createdAt: row.created_at,
    printedAt: row.printed_at,
  };
}
