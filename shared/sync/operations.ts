import { z } from 'zod';
import { PAGE_MIMES } from '../api/archive';
import { operatorSchema } from '../api/auth';
import { deviceSettingsSchema, PRINT_RESOLUTIONS } from '../api/devices';
import { HALL_DEVICE_KINDS } from '../api/queue';
import { employerPatchSchema, personPatchSchema } from '../api/registry';
import { stationSchema, windowNoSchema } from '../api/station';
import { caseActionSchema, caseStatusSchema } from '../domain/cases/state-machine';
import { RATING_DIMENSIONS, RATING_LEVELS } from '../domain/queue/rating';
import { queueSettingsSchema } from '../domain/queue/settings';
import { QUEUE_EVENT_TYPES } from '../domain/queue/stats';
import { idSchema as id, instantSchema as instant, plainText as text, subItemCodeSchema as subItemCode } from './protocol';

/**
 * Payload schemas of the operations a station's outbox carries, one per type, as the core writes them today
 * (electron/core: auth, station, registry and case handlers). The central office validates every pushed payload
 * against the schema of its type; a type missing here is unknown to the server.
 */

const caseNo = z.string().regex(/^\d{6,12}-\d{8}-\d{4,}$/, '受理编号格式不正确');

// A patch that changed nothing is still written to the outbox (as `{}`), so an empty patch is valid here.
const emptyPatch = z.object({}).strict();

const personRow = z.object({
  id,
  id_number: z.string().regex(/^[0-9A-Z]{15,18}$/, '证件号码格式不正确'),
  id_kind: text(40),
  name: text(30).min(1),
  sex: z.enum(['male', 'female']).nullable(),
  birth_date: text(10).nullable(),
  phone: text(20).nullable(),
  address: text(100).nullable(),
  card_number: text(20).nullable(),
  employer_id: id.nullable(),
  created_at: instant,
  updated_at: instant,
});

const employerRow = z.object({
  id,
  credit_code: z.string().regex(/^[0-9A-Z]{18}$/, '统一社会信用代码格式不正确'),
  name: text(60).min(1),
  legal_rep: text(30).nullable(),
  phone: text(20).nullable(),
  address: text(100).nullable(),
  risk_class: z.number().int().min(1).max(8).nullable(),
  created_at: instant,
  updated_at: instant,
});

const hallDevice = z.object({ id, kind: z.enum(HALL_DEVICE_KINDS), name: text(20), windowNo: windowNoSchema.nullable(), at: instant });

export const OPERATION_SCHEMAS = {
  'operator.login': z.object({ operatorId: id, windowNo: windowNoSchema }),
  'operator.logout': z.object({ operatorId: id }),
  'audit.login_failed': z.object({ username: text(64), windowNo: windowNoSchema }),
  'audit.unlock_failed': z.object({ operatorId: id }),
  'audit.person_revealed': z.object({ personId: id }),
  'audit.sod_refused': z.object({ caseId: id.nullable(), action: caseActionSchema }),
  'case.notice_issued': z.object({
    subItemCode,
    personId: id.nullable(),
    missing: z.array(text(16)).max(100),
    documentId: id,
  }),
  // The hall: queue events are the log the statistics are computed from, here as at the station.
  'queue.events': z.object({
    events: z
      .array(
        z.object({
          ticketId: id,
          ticketNo: text(8),
          type: z.enum(QUEUE_EVENT_TYPES),
          categoryCode: text(2),
          windowNo: windowNoSchema.nullable(),
          at: instant,
        }),
      )
      .max(1000),
  }),
  'queue.settings': queueSettingsSchema,
  'rating.recorded': z.object({
    id,
    ticketId: id,
    level: z.enum(RATING_LEVELS),
    dimensions: z.array(z.enum(RATING_DIMENSIONS)).max(RATING_DIMENSIONS.length),
    source: z.enum(['device', 'paper']),
    followUpId: id.nullable(),
  }),
  'rating.follow_up_closed': z.object({ id, note: text(500), at: instant }),
  // Written by stores from before per-device enrolment; still accepted from their outboxes.
  'hall.device_key_rotated': z.object({ kind: z.enum(HALL_DEVICE_KINDS), at: instant }),
  'hall.device_added': hallDevice,
  'hall.device_rekeyed': hallDevice,
  'hall.device_revoked': hallDevice,
  'hall.link_set': z.object({ url: text(200).nullable(), at: instant }),
  // A linked counter's stand-in visits taken by the hall host; their events come from that counter's own outbox.
  'queue.visits_handed_over': z.object({ deviceId: id, windowNo: windowNoSchema, ticketIds: z.array(id).max(100) }),
  'print.resolved': z.object({ jobId: id, documentId: id, decision: z.enum(PRINT_RESOLUTIONS), reprintJobId: id.nullable() }),
  'document.reprinted': z.object({ documentId: id, jobId: id, reprintOf: id.nullable() }),
  'device.settings_updated': deviceSettingsSchema,
  'station.backup_settings': z.object({ intervalHours: z.number().int().min(1), keep: z.number().int().min(1) }),
  'audit.backup_created': z.object({ createdAt: instant, verified: z.boolean(), counts: z.record(text(40), z.number().int()) }),
  'audit.backup_key_exported': z.object({ fingerprint: text(128) }),
  'operator.created': operatorSchema.extend({ id, displayName: text(20).min(1), passwordVerifier: text(300).min(1) }),
  'station.updated': stationSchema,
  'person.created': personRow,
  'person.patched': z.object({ personId: id, baseVersion: z.number().int().min(1), patch: personPatchSchema.or(emptyPatch) }),
  'employer.created': employerRow,
  'employer.patched': z.object({ employerId: id, baseVersion: z.number().int().min(1), patch: employerPatchSchema.or(emptyPatch) }),
  'case.accepted': z.object({
    id,
    caseNo,
    subItemCode,
    personId: id.nullable(),
    employerId: id.nullable(),
    form: z.record(z.string(), z.unknown()),
    materials: z.array(z.object({ code: text(16), name: text(100), status: z.enum(['received', 'missing', 'data_check']) })).max(100),
    steps: z.array(caseActionSchema).min(1).max(10),
    at: instant,
    /** Total computed at acceptance, where the sub-item computes one; counted in the day close. */
    amounts: z.object({ totalFen: z.number().int() }).loose().nullable().optional(),
  }),
  // A page filed with a case: its bytes travel separately, by hash, with file sync.
  'case.page_attached': z.object({
    pageId: id,
    caseId: id,
    materialCode: text(16),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().min(1),
    mime: z.enum(PAGE_MIMES),
    seq: z.number().int().min(1),
    at: instant,
  }),
  // Removed by mistake before delivery: the row and the file stay, marked, for the audit trail.
  'case.page_removed': z.object({ pageId: id, caseId: id, at: instant }),
  // 归档 (again, before sealing, refreshes the catalogue) and 封存 of a delivered case's volume.
  'archive.filed': z.object({ caseId: id, documentId: id, pageCount: z.number().int().min(0), at: instant }),
  'archive.sealed': z.object({ caseId: id, at: instant }),
  'case.intent': z.object({
    caseId: id,
    caseNo,
    action: caseActionSchema,
    reason: text(500).nullable(),
    fromStatus: caseStatusSchema,
    steps: z.array(caseActionSchema).min(1).max(10),
    at: instant,
  }),
} as const;

export type OperationType = keyof typeof OPERATION_SCHEMAS;
export type OperationPayload<T extends OperationType> = z.infer<(typeof OPERATION_SCHEMAS)[T]>;

export function isOperationType(type: string): type is OperationType {
  return Object.prototype.hasOwnProperty.call(OPERATION_SCHEMAS, type);
}
