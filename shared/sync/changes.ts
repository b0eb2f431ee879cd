import { z } from 'zod';
import { caseActionSchema, caseStatusSchema } from '../domain/cases/state-machine';
import { STATION_KINDS } from './protocol';

/**
 * The `data` of each change entity a device receives through pull (docs/sync-protocol.md §6.4). Devices check
 * every change against these before applying it; fields they do not know are kept out, not refused, so the central
 * office can add some without breaking older devices.
 */

const nullableText = z.string().nullable();

/** What one operation did to a case; null when the case is only sent for information (after a refused intent). */
export const caseTransitionSchema = z.object({
  firstSeq: z.number().int().min(1),
  fromStatus: caseStatusSchema,
  steps: z.array(z.object({ action: caseActionSchema, toStatus: caseStatusSchema })),
  operatorId: nullableText,
  windowNo: z.number().int().nullable(),
  reason: nullableText,
  at: z.string(),
  deviceAt: z.string(),
});

/** Content a case never changes after acceptance: sent with the first change of the case in a stream. */
export const caseContentSchema = z.object({
  stationCode: z.string(),
  caseNo: z.string(),
  businessDate: z.string(),
  itemCode: z.string(),
  subItemCode: z.string(),
  subItemName: z.string(),
  reviewLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  personId: nullableText,
  employerId: nullableText,
  amountFen: z.number().int().nullable(),
  acceptedAt: z.string(),
  form: z.record(z.string(), z.unknown()),
  materials: z.array(z.unknown()),
});

export const caseChangeSchema = z
  .object({
    id: z.string(),
    status: caseStatusSchema,
    lastReason: nullableText,
    version: z.number().int(),
    updatedAt: z.string(),
    acceptedBy: z.array(z.string()),
    reviewedBy: z.array(z.string()),
    transition: caseTransitionSchema.nullable(),
  })
  .and(caseContentSchema.partial());
export type CaseChange = z.infer<typeof caseChangeSchema>;

/** A person or employer: every field, the record's version and the version each field last changed at. */
export const registryChangeSchema = z.object({
  id: z.string(),
  stationCode: z.string(),
  version: z.number().int().min(1),
  fieldVersions: z.record(z.string(), z.number().int()),
  fields: z.record(z.string(), z.unknown()),
});
export type RegistryChange = z.infer<typeof registryChangeSchema>;

/** An operation of some device of the station that the central office refused. */
export const refusalChangeSchema = z.object({
  opId: z.string(),
  deviceId: z.string(),
  seq: z.number().int(),
  type: z.string(),
  code: z.string(),
  reason: nullableText.optional(),
  message: z.string(),
  at: z.string(),
});
export type RefusalChange = z.infer<typeof refusalChangeSchema>;

/** A registry field two sides changed differently, or a record registered twice: for the back office. */
export const conflictChangeSchema = z.object({
  id: z.string(),
  kind: z.enum(['field', 'duplicate']),
  entity: z.enum(['person', 'employer']),
  entityId: z.string(),
  field: z.string(),
  baseVersion: z.number().int().nullable(),
  serverValue: z.unknown(),
  deviceValue: z.unknown(),
  opId: z.string(),
  createdAt: z.string(),
  /** Set when the back office decided it (the review page): which side's value the record keeps. */
  resolution: z.enum(['server', 'device']).optional(),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
});
export type ConflictChange = z.infer<typeof conflictChangeSchema>;

/** The station as the central office registered it, with the settings its devices last sent. */
export const stationChangeSchema = z.object({
  code: z.string(),
  name: z.string(),
  regionCode: z.string(),
  kind: z.enum(STATION_KINDS),
  settings: z
    .object({ name: z.string(), windows: z.array(z.number().int()), idleLockMinutes: z.number().int() })
    .nullable()
    .optional(),
});
export type StationChange = z.infer<typeof stationChangeSchema>;

export const dayCloseChangeSchema = z.object({
  id: z.string(),
  businessDate: z.string(),
  status: z.string(),
  deviceId: z.string(),
  at: z.string(),
});
