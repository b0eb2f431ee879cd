import { z } from 'zod';
import { businessDateSchema, daysBetween } from '../domain/calendar/dates';
import { method, ok } from './define';

export const REPORT_KINDS = ['daily', 'tellers', 'amounts', 'volumes'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_LABELS: Readonly<Record<ReportKind, string>> = {
  daily: '业务日报',
  tellers: '柜员绩效',
  amounts: '分险种金额',
  volumes: '事项办理量',
};

export const reportColumnSchema = z.object({
  key: z.string(),
  title: z.string(),
  /** fen: integer fen shown as yuan; minutes: a duration. */
  type: z.enum(['text', 'int', 'fen', 'minutes', 'percent']),
});
export type ReportColumn = z.infer<typeof reportColumnSchema>;

const cellSchema = z.union([z.string(), z.number(), z.null()]);

export const reportTableSchema = z.object({
  kind: z.enum(REPORT_KINDS),
  title: z.string(),
  stationName: z.string(),
  from: z.string(),
  to: z.string(),
  columns: z.array(reportColumnSchema),
  rows: z.array(z.record(z.string(), cellSchema)),
  /** The sums of the numeric columns (by key); averages are not summed. */
  totals: z.record(z.string(), cellSchema),
  generatedAt: z.string(),
});
export type ReportTable = z.infer<typeof reportTableSchema>;

const periodSchema = z
  .object({ kind: z.enum(REPORT_KINDS), from: businessDateSchema, to: businessDateSchema })
  .strict()
  .refine((p) => p.from <= p.to, { message: '开始日期不能晚于结束日期', path: ['to'] })
  .refine((p) => p.from > p.to || daysBetween(p.from, p.to) <= 366, { message: '报表期间不超过一年', path: ['to'] });

const READERS = ['admin', 'approver'] as const;

/** Chosen by the caller, so it can cancel the export before the answer arrives. */
const exportIdSchema = z.string().min(1).max(64);

export const reportMethods = {
  'reports.run': method({ params: periodSchema, result: reportTableSchema, access: READERS }),
  /**
   * The same table as an .xlsx workbook or an A4 PDF, base64-encoded for the renderer to save. Progress arrives as
   * reports.exportProgress events; a cancelled export answers CONFLICT with reason 'cancelled' and no file at all.
   */
  'reports.export': method({
    params: z
      .object({
        kind: z.enum(REPORT_KINDS),
        from: businessDateSchema,
        to: businessDateSchema,
        format: z.enum(['xlsx', 'pdf']),
        exportId: exportIdSchema,
      })
      .strict(),
    result: z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() }),
    access: READERS,
  }),
  /** Stops an export this connection started; nothing to do once it has finished. */
  'reports.cancelExport': method({ params: z.object({ exportId: exportIdSchema }).strict(), result: ok, access: READERS }),
} as const;
