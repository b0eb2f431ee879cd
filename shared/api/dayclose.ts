import { z } from 'zod';
import { businessDateSchema } from '../domain/calendar/dates';
import { RATING_LEVELS } from '../domain/queue/rating';
import type { MethodName } from './contract';
import { documentViewSchema } from './cases';
import { empty, method } from './define';

/**
 * 日结: the supervisor closes the business day. The day is frozen, its totals shown and printed, the outbox pushed and
 * the totals compared with the central office (docs/day-close.md).
 */
const SUPERVISOR = ['reviewer', 'admin'] as const;

/**
 * - `frozen`: closed for business, waiting for a match with the central office (a mismatch keeps it here).
 * - `closed`: closed; matched, or closed locally while the central office could not be reached (reconciled later).
 * - `carried_over`: not closed, but a supervisor let the next day open anyway (with a reason).
 */
export const BUSINESS_DAY_STATES = ['frozen', 'closed', 'carried_over'] as const;
export type BusinessDayState = (typeof BUSINESS_DAY_STATES)[number];

/**
 * The comparison with the central office: `matched`, `mismatched` (with differences), `pending` (it has not applied
 * this PC's operations yet), `offline` (not reachable at closing: reconciled when it next is), `local` (this PC is not
 * enrolled with a central office).
 */
export const RECONCILIATIONS = ['matched', 'mismatched', 'pending', 'offline', 'local'] as const;
export type Reconciliation = (typeof RECONCILIATIONS)[number];
export const RECONCILIATION_LABELS: Readonly<Record<Reconciliation, string>> = {
  matched: '与中心核对一致',
  mismatched: '与中心核对不一致',
  pending: '中心尚未收齐本机数据，待核对',
  offline: '日结时无法连接中心，联网后自动核对',
  local: '本机未注册中心，仅本机日结',
};

const figures = z.object({ count: z.number().int(), amountFen: z.number().int() });

export const dayTotalsSchema = z.object({
  businessDate: z.string(),
  cases: z.object({
    total: figures,
    /** Per sub-item and status. */
    byItem: z.array(
      z.object({
        subItemCode: z.string(),
        subItemName: z.string(),
        status: z.string(),
        count: z.number().int(),
        amountFen: z.number().int(),
      }),
    ),
    /** Per accepting operator and sub-item: exactly what is compared with the central office. */
    byOperator: z.array(
      z.object({
        operatorId: z.string(),
        operatorName: z.string(),
        subItemCode: z.string(),
        count: z.number().int(),
        amountFen: z.number().int(),
      }),
    ),
    /** Amounts per insurance (养老, 医疗…) from the amount lines of the day's cases. */
    byInsurance: z.array(z.object({ insurance: z.string(), amountFen: z.number().int() })),
  }),
  tickets: z.object({
    issued: z.number().int(),
    served: z.number().int(),
    noShows: z.number().int(),
    waitAvgMs: z.number().nullable(),
    ratings: z.number().int(),
    ratingAvg: z.number().nullable(),
    ratingLevels: z.record(z.enum(RATING_LEVELS), z.number().int()),
  }),
});
export type DayTotals = z.infer<typeof dayTotalsSchema>;

export const dayDifferenceSchema = z.object({
  operatorName: z.string(),
  subItemCode: z.string(),
  station: figures,
  server: figures,
});

export const businessDaySchema = z.object({
  businessDate: z.string(),
  state: z.enum(BUSINESS_DAY_STATES),
  reconciliation: z.enum(RECONCILIATIONS).nullable(),
  message: z.string().nullable(),
  differences: z.array(dayDifferenceSchema),
  /** The last outbox sequence of the frozen day. */
  lastSeq: z.number().int().nullable(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  reconciledAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type BusinessDay = z.infer<typeof businessDaySchema>;

export const dayOverviewSchema = z.object({
  today: z.string(),
  /** Today's state; null while it is open for business. */
  todayState: businessDaySchema.nullable(),
  /** An earlier day with business that is neither closed nor carried over: it blocks today (enrolled PCs only). */
  unclosed: z.string().nullable(),
  recent: z.array(businessDaySchema),
});

export const dayCloseMethods = {
  'day.overview': method({ params: empty, result: dayOverviewSchema, access: 'session' }),
  'day.totals': method({ params: z.object({ businessDate: businessDateSchema }).strict(), result: dayTotalsSchema, access: SUPERVISOR }),
  /** Freezes the day, prints the sheet, pushes the outbox and compares with the central office. Audited. */
  'day.close': method({
    params: z.object({ businessDate: businessDateSchema }).strict(),
    result: z.object({ day: businessDaySchema, document: documentViewSchema }),
    access: SUPERVISOR,
  }),
  /** Lets the next day open without closing this one, with a reason. Audited. */
  'day.carryOver': method({
    params: z
      .object({ businessDate: businessDateSchema, reason: z.string().trim().min(4, '请写明结转原因（至少4个字）').max(200) })
      .strict(),
    result: businessDaySchema,
    access: SUPERVISOR,
  }),
} as const;

/**
 * Methods that record the business of the day: refused for a frozen day, and (on an enrolled PC) while an earlier day
 * is neither closed nor carried over. Reads, sign-in, settings, the hall's pause and the day close itself stay open.
 */
export const DAY_BOUND_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'person.create',
  'person.update',
  'employer.create',
  'employer.update',
  'case.accept',
  'case.act',
  'case.deliver',
  'queue.issue',
  'queue.issueByCard',
  'queue.walkIn',
  'queue.callNext',
  'queue.call',
  'queue.recall',
  'queue.noShow',
  'queue.reactivate',
  'queue.hold',
  'queue.callBack',
  'queue.start',
  'queue.end',
  'queue.transfer',
  'queue.linkCase',
  'rating.submit',
  'rating.paper',
]);
