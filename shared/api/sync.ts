import { z } from 'zod';
import { empty, method } from './define';

/**
 * Sync with the central office as the counter's UI sees it: the always-visible state, enrolment, an immediate round,
 * and the inbox of refused operations and registry conflicts a reviewer resolves (docs/sync-engine.md).
 */

/**
 * - `never_enrolled`: this PC has no device identity yet; an administrator enters the central address and a code.
 * - `syncing`: a round (push, then pull) is running.
 * - `online`: the last round reached the central office (`lastError` says if it could not finish).
 * - `offline`: the central office could not be reached; the counter works on and retries with backoff.
 * - `blocked`: the central office refused this device (revoked, unknown, sequence mismatch): an administrator must act.
 */
export const SYNC_STATES = ['never_enrolled', 'syncing', 'online', 'offline', 'blocked'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** A skew beyond this is shown as a warning: signatures are refused past 5 minutes, and business dates may be off. */
export const CLOCK_SKEW_WARNING_MS = 60_000;

export const syncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  /** Operations written here and not yet acknowledged by the central office. */
  pendingOps: z.number().int(),
  /** Unresolved refusals and conflicts. */
  openInbox: z.number().int(),
  /** The end of the last round that pushed and pulled everything. */
  lastSyncAt: z.string().nullable(),
  /** What went wrong last, in Chinese, with what to do; null after a good round. */
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  /** When the next automatic attempt is due (offline, or waiting to poll). */
  nextAttemptAt: z.string().nullable(),
  /** The central office's clock minus this PC's, as last measured; null before enrolment. */
  clockSkewMs: z.number().int().nullable(),
  deviceId: z.string().nullable(),
  stationCode: z.string().nullable(),
  stationName: z.string().nullable(),
  centralUrl: z.string().nullable(),
  /** The round running now: operations uploaded of those waiting when it began, and changes downloaded so far. */
  progress: z.object({ pushed: z.number().int(), toPush: z.number().int(), pulled: z.number().int() }).nullable(),
  /**
   * The files of material pages, which travel apart from and after the operations: business data can be fully
   * synced (`pendingOps` 0) while pages are still uploading.
   */
  files: z.object({
    /** Page files the central office does not hold yet, and the bytes of them it has not confirmed. */
    pendingPages: z.number().int(),
    pendingBytes: z.number().int(),
    /** Bytes the central office confirmed since the upload of the current backlog began. */
    sentBytes: z.number().int(),
    /** Local page files that are missing or failed their hash, waiting for a good copy from the central office. */
    corruptPages: z.number().int(),
    /** The last problem with a file not yet settled, in Chinese; null when there is none. */
    problem: z.string().nullable(),
    /** Pages are being uploaded or fetched right now. */
    active: z.boolean(),
  }),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const INBOX_RESOLUTIONS = ['acknowledge', 'keep_server', 'resend_device'] as const;

export const inboxItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['refusal', 'conflict']),
  opId: z.string(),
  opSeq: z.number().int().nullable(),
  opType: z.string().nullable(),
  /** Refusal code (docs/sync-protocol.md §4.4), and the state machine's rule for CASE_REFUSED. */
  code: z.string().nullable(),
  reason: z.string().nullable(),
  message: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  field: z.string().nullable(),
  baseVersion: z.number().int().nullable(),
  serverValue: z.unknown(),
  deviceValue: z.unknown(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.enum(INBOX_RESOLUTIONS).nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

const centralUrlSchema = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i, '中心地址应以 http:// 或 https:// 开头，例如 https://sync.example.gov.cn')
  .max(200);

export const syncMethods = {
  'sync.status': method({ params: empty, result: syncStatusSchema, access: 'session' }),
  /** Enrols this PC with a one-time code from the central office; refused when already enrolled. Audited. */
  'sync.enrol': method({
    params: z
      .object({
        centralUrl: centralUrlSchema,
        code: z.string().trim().min(8, '注册码为16位字母和数字').max(64),
        deviceName: z.string().trim().min(1).max(60).optional(),
      })
      .strict(),
    result: syncStatusSchema,
    access: ['admin'],
  }),
  /** First start of a PC with no accounts yet: whether it must be enrolled before anyone can sign in. */
  'sync.setup': method({ params: empty, result: z.object({ needsEnrolment: z.boolean() }), access: 'public' }),
  /**
   * The first enrolment of a fresh PC, before any account exists (so without a session): only from this PC itself,
   * only while it has no accounts and no enrolment. Runs the first round, which brings the central accounts.
   */
  'sync.bootstrap': method({
    params: z.object({ centralUrl: centralUrlSchema, code: z.string().trim().min(8, '注册码为16位字母和数字').max(64) }).strict(),
    result: syncStatusSchema,
    access: 'public',
  }),
  /** Forgets the enrolment (key and cursors) so the PC can be enrolled again. Audited with the reason. */
  'sync.reset': method({
    params: z.object({ reason: z.string().trim().min(2, '请填写重置原因').max(200) }).strict(),
    result: syncStatusSchema,
    access: ['admin'],
  }),
  /** Runs a round now and answers with the state after it. */
  'sync.now': method({ params: empty, result: syncStatusSchema, access: 'session' }),
  'sync.inbox': method({
    params: z.object({ includeResolved: z.boolean().default(false) }).strict(),
    result: z.array(inboxItemSchema),
    access: ['reviewer', 'admin'],
  }),
  /**
   * Resolves an inbox entry: `acknowledge` a refusal (or a duplicate registration, which the back office merges);
   * for a field conflict, `keep_server` accepts the central value and `resend_device` sends this PC's value again as
   * a new patch on the current version. Audited.
   */
  'sync.resolveInbox': method({
    params: z.object({ id: z.string(), resolution: z.enum(INBOX_RESOLUTIONS) }).strict(),
    result: inboxItemSchema,
    access: ['reviewer'],
  }),
} as const;
