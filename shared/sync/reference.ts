import { z } from 'zod';
import { roleSchema, usernameSchema } from '../api/auth';
import { businessDateSchema } from '../domain/calendar/dates';
import { holidayYearSchema } from '../domain/calendar/working-days';
import { catalogueSchema } from '../domain/catalogue/schema';
import { baseLimitsTableSchema } from '../domain/contributions/base';
import { rateTableSchema } from '../domain/contributions/rates';
import { queueSettingsSchema } from '../domain/queue/settings';
import { regionCodeSchema } from '../domain/region';

/**
 * Reference data the central office publishes and delivers through the reference stream: versioned per kind and
 * scope, effective from a business date. Each kind is checked by the domain schema its consumers already use.
 */

export const REFERENCE_SCHEMAS = {
  catalogue: catalogueSchema,
  rates: rateTableSchema,
  /** Contribution base limits with the average wage they derive from. */
  average_wages: baseLimitsTableSchema,
  holidays: holidayYearSchema,
  /** The hall's ticket categories, as the queue settings hold them. */
  ticket_categories: queueSettingsSchema.shape.categories,
} as const;
export type ReferenceKind = keyof typeof REFERENCE_SCHEMAS;
export const REFERENCE_KINDS = Object.keys(REFERENCE_SCHEMAS) as ReferenceKind[];

export function isReferenceKind(kind: string): kind is ReferenceKind {
  return Object.prototype.hasOwnProperty.call(REFERENCE_SCHEMAS, kind);
}

/** Data of a `reference` change. */
export const referenceVersionSchema = z.object({
  kind: z.enum(REFERENCE_KINDS as [ReferenceKind, ...ReferenceKind[]]),
  region: regionCodeSchema,
  version: z.number().int().min(1),
  effectiveFrom: businessDateSchema,
  publishedAt: z.string(),
  data: z.unknown(),
});
export type ReferenceVersion = z.infer<typeof referenceVersionSchema>;

export const RIGHTS = ['accept', 'review', 'approve', 'deliver', 'registry_edit', 'reveal_id_number', 'accounts', 'day_close'] as const;

/** Data of an `operator` change: an account a station's devices log in with, published by the central office. */
export const operatorAccountSchema = z.object({
  id: z.string().min(1).max(64),
  stationCode: z.string().regex(/^\d{6,12}$/),
  username: usernameSchema,
  displayName: z.string().trim().min(2).max(20),
  role: roleSchema,
  rights: z.array(z.enum(RIGHTS)),
  /** `scrypt$N$r$p$salt$key` as the station's password module writes and verifies it. */
  passwordVerifier: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, '密码校验值格式不正确'),
  disabled: z.boolean(),
  version: z.number().int().min(1),
});
export type OperatorAccount = z.infer<typeof operatorAccountSchema>;
