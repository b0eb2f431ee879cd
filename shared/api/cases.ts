import { z } from 'zod';
import { CASE_ACTIONS, CASE_STATUSES } from '../domain/cases/state-machine';
import { INSURANCES } from '../domain/contributions/insurance';
import { method } from './define';
import { personSummarySchema } from './registry';

const ALL_STAFF = ['teller', 'reviewer', 'approver', 'admin'] as const;

export const MATERIAL_STATUSES = ['received', 'missing', 'data_check'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

/** A document handed to printing: the model the UI previews and the printer renders (see shared/documents). */
export const documentViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  caseId: z.string().nullable(),
  createdAt: z.string(),
  blocks: z.array(z.record(z.string(), z.unknown())),
});
export type DocumentView = z.infer<typeof documentViewSchema>;

export const caseEventViewSchema = z.object({
  action: z.enum(CASE_ACTIONS),
  fromStatus: z.enum(CASE_STATUSES),
  toStatus: z.enum(CASE_STATUSES),
  operatorName: z.string(),
  windowNo: z.number().int().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});

/** One itemised amount; `insurance` lets reports total amounts per insurance. */
export const amountLineSchema = z.object({ label: z.string(), fen: z.number().int(), insurance: z.enum(INSURANCES).optional() });
export type AmountLine = z.infer<typeof amountLineSchema>;

export const caseViewSchema = z.object({
  id: z.string(),
  caseNo: z.string(),
  itemCode: z.string(),
  subItemCode: z.string(),
  subItemName: z.string(),
  status: z.enum(CASE_STATUSES),
  reviewLevel: z.number().int(),
  person: personSummarySchema.nullable(),
  employerName: z.string().nullable(),
  acceptedAt: z.string(),
  acceptedByName: z.string(),
  acceptedWindow: z.number().int().nullable(),
  promisedDate: z.string().nullable(),
  /** The form as filled, labelled from the catalogue; personal numbers masked. */
  form: z.array(z.object({ key: z.string(), label: z.string(), value: z.string() })),
  materials: z.array(z.object({ code: z.string(), name: z.string(), status: z.enum(MATERIAL_STATUSES) })),
  amounts: z.object({ lines: z.array(amountLineSchema), totalFen: z.number().int(), note: z.string() }).nullable(),
  lastReason: z.string().nullable(),
  events: z.array(caseEventViewSchema),
  /** What the calling operator may do now: the buttons the UI shows. */
  availableActions: z.array(z.enum(CASE_ACTIONS)),
  documents: z.array(documentViewSchema.pick({ id: true, kind: true, title: true, createdAt: true })),
});
export type CaseView = z.infer<typeof caseViewSchema>;

export const caseSummarySchema = caseViewSchema.pick({
  id: true,
  caseNo: true,
  subItemName: true,
  status: true,
  reviewLevel: true,
  person: true,
  employerName: true,
  acceptedAt: true,
  acceptedByName: true,
  promisedDate: true,
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const catalogueEntrySchema = z.object({
  itemCode: z.string(),
  itemName: z.string(),
  code: z.string(),
  name: z.string(),
  reviewLevel: z.number().int(),
  timeLimit: z.string(),
  opensCase: z.boolean(),
  /** How often this station used it in the last 30 days: the picker lists most-used first. */
  uses: z.number().int(),
});
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export const QUEUE_KINDS = ['review', 'approval', 'pickup', 'returned'] as const;

export const casesMethods = {
  'catalogue.list': method({ params: z.object({}).strict(), result: z.array(catalogueEntrySchema), access: ALL_STAFF }),
  /** The full sub-item (materials, form fields, limits) as the catalogue defines it. */
  'catalogue.subItem': method({
    params: z.object({ code: z.string().max(16) }).strict(),
    result: z.record(z.string(), z.unknown()),
    access: ALL_STAFF,
  }),
  /**
   * Accepts a case, or, when a required material is missing, produces the one-time notice
   * (一次性告知单) listing every missing material and accepts nothing.
   */
  'case.accept': method({
    params: z
      .object({
        subItemCode: z.string().max(16),
        personId: z.string().optional(),
        employerId: z.string().optional(),
        materials: z.array(z.object({ code: z.string().max(16), status: z.enum(MATERIAL_STATUSES) }).strict()).max(50),
        form: z.record(z.string().max(40), z.unknown()),
      })
      .strict(),
    result: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('accepted'), case: caseViewSchema, documents: z.array(documentViewSchema) }),
      z.object({ outcome: z.literal('notice'), missing: z.array(z.string()), documents: z.array(documentViewSchema) }),
    ]),
    access: ['teller'],
  }),
  /** The amounts a sub-item computes from the form as filled so far, itemised, before anything is accepted. */
  'case.quote': method({
    params: z
      .object({ subItemCode: z.string().max(16), personId: z.string().optional(), form: z.record(z.string().max(40), z.unknown()) })
      .strict(),
    result: z.object({ lines: z.array(amountLineSchema), totalFen: z.number().int(), note: z.string() }).nullable(),
    access: ['teller'],
  }),
  'case.get': method({ params: z.object({ id: z.string() }).strict(), result: caseViewSchema, access: ALL_STAFF }),
  'case.byNumber': method({
    params: z.object({ caseNo: z.string().trim().min(1).max(40) }).strict(),
    result: caseViewSchema,
    access: ALL_STAFF,
  }),
  /** Work waiting for the caller's role: review (reviewers), approval (approvers), pickup and returned (tellers). */
  'case.queue': method({
    params: z.object({ kind: z.enum(QUEUE_KINDS) }).strict(),
    result: z.array(caseSummarySchema.extend({ actionable: z.boolean() })),
    access: ALL_STAFF,
  }),
  /** A back-office decision or a teller's own transition; the state machine and separation of duties decide. */
  'case.act': method({
    params: z
      .object({
        id: z.string(),
        action: z.enum(['pass_review', 'approve', 'reject', 'return_for_materials', 'withdraw', 'complete', 'resubmit']),
        reason: z.string().trim().max(200).optional(),
      })
      .strict()
      .refine((p) => !['reject', 'return_for_materials'].includes(p.action) || (p.reason?.length ?? 0) >= 2, {
        message: '不予办理或退回补正时必须写明原因',
        path: ['reason'],
      }),
    result: caseViewSchema,
    access: ['teller', 'reviewer', 'approver'],
  }),
  /** Hands out the result at any window of the station (统一窗口出件) and prints the completion voucher. */
  'case.deliver': method({
    params: z.object({ id: z.string() }).strict(),
    result: z.object({ case: caseViewSchema, documents: z.array(documentViewSchema) }),
    access: ['teller'],
  }),
  'document.get': method({ params: z.object({ id: z.string() }).strict(), result: documentViewSchema, access: ALL_STAFF }),
} as const;
