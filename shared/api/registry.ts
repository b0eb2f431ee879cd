import { z } from 'zod';
import { creditCodeSchema } from '../domain/identity/credit-code';
import { idNumberSchema } from '../domain/identity/resident-id';
import { method } from './define';

const nameSchema = z
  .string()
  .trim()
  .min(2, '姓名至少2个字')
  .max(30, '姓名不超过30个字')
  .regex(/^[\p{Script=Han}A-Za-z·．. ]+$/u, '姓名只能包含汉字、字母和间隔号');
const phoneSchema = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '电话号码应为11位手机号或带区号的固定电话');
const addressSchema = z.string().trim().min(2, '地址至少2个字').max(100, '地址不超过100个字');
const cardNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{9}$/, '社会保障卡卡号应为9位字母或数字');

export const personSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Always masked (first 4 + last 4); the full number only through person.reveal, which is audited. */
  idNumberMasked: z.string(),
  sex: z.enum(['male', 'female']).nullable(),
  birthDate: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  cardNumber: z.string().nullable(),
  employerName: z.string().nullable(),
});
export type PersonSummary = z.infer<typeof personSummarySchema>;

export const personDetailSchema = personSummarySchema.extend({
  idKind: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  employerId: z.string().nullable(),
  version: z.number().int(),
});
export type PersonDetail = z.infer<typeof personDetailSchema>;

export const employerSummarySchema = z.object({
  id: z.string(),
  creditCode: z.string(),
  name: z.string(),
  legalRep: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  riskClass: z.number().int().nullable(),
  version: z.number().int(),
});
export type EmployerSummary = z.infer<typeof employerSummarySchema>;

export const historyEntrySchema = z.object({
  kind: z.enum(['case', 'document', 'visit']),
  at: z.string(),
  title: z.string(),
  detail: z.string(),
  caseId: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const patchOf = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object(shape)
    .partial()
    .strict()
    .refine((p) => Object.keys(p).length > 0, '没有要修改的内容');

export const personPatchSchema = patchOf({
  name: nameSchema,
  phone: phoneSchema.nullable(),
  address: addressSchema.nullable(),
  cardNumber: cardNumberSchema.nullable(),
  employerId: z.string().nullable(),
});
export type PersonPatch = z.infer<typeof personPatchSchema>;

export const employerPatchSchema = patchOf({
  name: z.string().trim().min(2).max(60),
  legalRep: nameSchema.nullable(),
  phone: phoneSchema.nullable(),
  address: addressSchema.nullable(),
  riskClass: z.number().int().min(1).max(8).nullable(),
});
export type EmployerPatch = z.infer<typeof employerPatchSchema>;

const ALL_STAFF = ['teller', 'reviewer', 'approver', 'admin'] as const;
const FRONT = ['teller', 'admin'] as const;

export const registryMethods = {
  /**
   * One box for everything a teller types: an ID number (full or its first digits), a card
   * number, a phone number, a credit code, a name or its first characters, or pinyin initials.
   */
  'registry.search': method({
    params: z
      .object({ query: z.string().trim().min(1, '请输入查询内容').max(40), limit: z.number().int().min(1).max(50).default(20) })
      .strict(),
    result: z.object({ persons: z.array(personSummarySchema), employers: z.array(employerSummarySchema) }),
    access: ALL_STAFF,
  }),
  'person.get': method({ params: z.object({ id: z.string() }).strict(), result: personDetailSchema, access: ALL_STAFF }),
  'person.byIdNumber': method({
    params: z.object({ idNumber: idNumberSchema }).strict(),
    result: personDetailSchema.nullable(),
    access: ALL_STAFF,
  }),
  /** The full ID number; every call is an audited command. */
  'person.reveal': method({ params: z.object({ id: z.string() }).strict(), result: z.object({ idNumber: z.string() }), access: ALL_STAFF }),
  'person.history': method({ params: z.object({ id: z.string() }).strict(), result: z.array(historyEntrySchema), access: ALL_STAFF }),
  'person.create': method({
    params: z
      .object({
        idNumber: idNumberSchema,
        name: nameSchema,
        phone: phoneSchema.optional(),
        address: addressSchema.optional(),
        cardNumber: cardNumberSchema.optional(),
        employerId: z.string().optional(),
      })
      .strict(),
    result: personDetailSchema,
    access: FRONT,
  }),
  /** A field patch remembering the version it started from: concurrent edits of other fields merge. */
  'person.update': method({
    params: z.object({ id: z.string(), baseVersion: z.number().int().min(1), patch: personPatchSchema }).strict(),
    result: personDetailSchema,
    access: FRONT,
  }),
  'employer.get': method({ params: z.object({ id: z.string() }).strict(), result: employerSummarySchema, access: ALL_STAFF }),
  'employer.create': method({
    params: z
      .object({
        creditCode: creditCodeSchema,
        name: z.string().trim().min(2, '单位名称至少2个字').max(60, '单位名称不超过60个字'),
        legalRep: nameSchema.optional(),
        phone: phoneSchema.optional(),
        address: addressSchema.optional(),
        riskClass: z.number().int().min(1).max(8).optional(),
      })
      .strict(),
    result: employerSummarySchema,
    access: FRONT,
  }),
  'employer.update': method({
    params: z.object({ id: z.string(), baseVersion: z.number().int().min(1), patch: employerPatchSchema }).strict(),
    result: employerSummarySchema,
    access: FRONT,
  }),
} as const;
