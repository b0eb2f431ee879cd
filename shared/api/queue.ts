import { z } from 'zod';
import { businessDateSchema } from '../domain/calendar/dates';
import { TICKET_KINDS } from '../domain/queue/categories';
import { RATING_DIMENSIONS, RATING_LEVELS } from '../domain/queue/rating';
import { queueSettingsSchema } from '../domain/queue/settings';
import { QUEUE_EVENT_TYPES, STATS_DIMENSIONS } from '../domain/queue/stats';
import { SERVICE_OUTCOMES, TICKET_STATUSES, type TicketActionType } from '../domain/queue/ticket';
import { documentViewSchema } from './cases';
import { empty, method, ok } from './define';
import { windowNoSchema } from './station';

/**
 * The hall: tickets, calling, the display, the kiosk and the evaluator. Device pages (kiosk, display, evaluator) have
 * no operator session; their methods are 'public' in the contract and the core checks the device pairing of the
 * connection (hall.pair) instead.
 */
const TELLER = ['teller', 'admin'] as const;
const SUPERVISOR = ['reviewer', 'admin'] as const;

/** A counter is another PC of the hall whose queue lives on this host (the hall link, docs/hall.md). */
export const HALL_DEVICE_KINDS = ['kiosk', 'display', 'evaluator', 'counter'] as const;
export type HallDeviceKind = (typeof HALL_DEVICE_KINDS)[number];
export const HALL_DEVICE_LABELS: Readonly<Record<HallDeviceKind, string>> = {
  kiosk: '取号机',
  display: '叫号屏',
  evaluator: '评价器',
  counter: '窗口终端',
};
/** Kinds that belong to one window. */
export const WINDOW_DEVICE_KINDS: readonly HallDeviceKind[] = ['evaluator', 'counter'];

export const hallDeviceSchema = z.object({
  id: z.string(),
  kind: z.enum(HALL_DEVICE_KINDS),
  name: z.string(),
  windowNo: z.number().int().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /** Paired on a live connection right now. */
  online: z.boolean(),
});
export type HallDevice = z.infer<typeof hallDeviceSchema>;

/** Where this PC's queue lives: here ('host'), or on a hall host reached over the LAN. */
export const HALL_LINK_STATES = ['host', 'connecting', 'online', 'offline'] as const;
export const hallLinkStatusSchema = z.object({
  state: z.enum(HALL_LINK_STATES),
  url: z.string().nullable(),
  /** The window the host knows this PC as, once paired. */
  windowNo: z.number().int().nullable(),
  /** Since when the link is in this state (ISO), null for a host. */
  since: z.string().nullable(),
  /** Why the last attempt failed, in Chinese. */
  error: z.string().nullable(),
  /** Visits served here while the host was unreachable that the host has not taken yet. */
  pendingVisits: z.number().int(),
});
export type HallLinkStatus = z.infer<typeof hallLinkStatusSchema>;

/** What a linked counter forwards to its hall host; everything else stays in its own store. */
export const RELAYED_QUEUE_METHODS = [
  'queue.settings',
  'queue.issue',
  'queue.walkIn',
  'queue.window',
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
  'queue.pause',
  'queue.resume',
  'queue.linkCase',
  'queue.snapshot',
] as const;
export type RelayedQueueMethod = (typeof RELAYED_QUEUE_METHODS)[number];

const handedOverVisitSchema = z
  .object({
    ticket: z
      .object({
        id: z.string().min(1).max(64),
        ticketNo: z.string().regex(/^W\d{1,2}-\d{3,4}$/, '临时接待号码格式不正确'),
        businessDate: businessDateSchema,
        categoryCode: z.string().max(2),
        issuedAt: z.string().max(40),
        status: z.enum(['done', 'closed', 'no_show']),
        outcome: z.enum(SERVICE_OUTCOMES).nullable(),
      })
      .strict(),
    events: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            type: z.enum(QUEUE_EVENT_TYPES),
            categoryCode: z.string().max(2),
            operator: z.string().max(64).nullable(),
            detail: z.unknown(),
            at: z.string().max(40),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    caseIds: z.array(z.string().min(1).max(64)).max(50),
  })
  .strict();
export type HandedOverVisit = z.infer<typeof handedOverVisitSchema>;

const TICKET_ACTION_TYPES = [
  'call',
  'recall',
  'no_show',
  'reactivate',
  'start',
  'hold',
  'call_back',
  'end',
  'transfer',
] as const satisfies readonly TicketActionType[];

export const ticketViewSchema = z.object({
  id: z.string(),
  ticketNo: z.string(),
  businessDate: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  kind: z.enum(TICKET_KINDS),
  status: z.enum(TICKET_STATUSES),
  source: z.enum(['kiosk', 'counter', 'walk_in', 'carry_over']),
  issuedAt: z.string(),
  /** Waiting since (ISO): the issue time, or when a transfer or reactivation put it last. */
  placeAt: z.string(),
  windowNo: z.number().int().nullable(),
  callCount: z.number().int(),
  lastCalledAt: z.string().nullable(),
  directedWindow: z.number().int().nullable(),
  directedOperatorName: z.string().nullable(),
  /** Masked (张**); null when the ticket is not linked to a person. */
  personName: z.string().nullable(),
  personId: z.string().nullable(),
  outcome: z.enum(SERVICE_OUTCOMES).nullable(),
  /** What this window may do with it now. */
  actions: z.array(z.enum(TICKET_ACTION_TYPES)),
});
export type TicketView = z.infer<typeof ticketViewSchema>;

export const windowViewSchema = z.object({
  windowNo: z.number().int(),
  paused: z.boolean(),
  pauseReason: z.string().nullable(),
  current: ticketViewSchema.nullable(),
  held: z.array(ticketViewSchema),
  /** Tickets this window may call, in the order calling next would take them. */
  waiting: z.array(ticketViewSchema),
  noShows: z.array(ticketViewSchema),
  servedToday: z.number().int(),
  /** Recall rules, so the UI can say when 过号 becomes possible. */
  recallMinCalls: z.number().int(),
  recallMinGapSeconds: z.number().int(),
});
export type WindowView = z.infer<typeof windowViewSchema>;

export const displaySnapshotSchema = z.object({
  stationName: z.string(),
  businessDate: z.string(),
  current: z.array(
    z.object({
      windowNo: z.number().int(),
      ticketNo: z.string(),
      status: z.enum(['called', 'serving']),
      personName: z.string().nullable(),
      calledAt: z.string(),
    }),
  ),
  recent: z.array(z.object({ ticketNo: z.string(), windowNo: z.number().int(), at: z.string(), recall: z.boolean() })),
  categories: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(TICKET_KINDS),
      waiting: z.number().int(),
      open: z.boolean(),
      hours: z.string(),
    }),
  ),
  windows: z.array(z.object({ windowNo: z.number().int(), paused: z.boolean(), reason: z.string().nullable() })),
  voice: z.object({ repeat: z.number().int(), chime: z.boolean() }),
});
export type DisplaySnapshot = z.infer<typeof displaySnapshotSchema>;

const ticketRef = z.object({ ticketId: z.string().min(1).max(64) }).strict();
const windowResult = windowViewSchema;
const idNumberInput = z.string().trim().min(15).max(18).optional();

export const statsRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  called: z.number().int(),
  served: z.number().int(),
  noShows: z.number().int(),
  noShowRate: z.number().nullable(),
  waitAvgMs: z.number().nullable(),
  waitMaxMs: z.number().nullable(),
  overTargetShare: z.number().nullable(),
  walkUpAvgMs: z.number().nullable(),
  serviceAvgMs: z.number().nullable(),
  holdAvgMs: z.number().nullable(),
  ratings: z.number().int(),
  ratingAvg: z.number().nullable(),
  badRatings: z.number().int(),
  ratingLevels: z.record(z.enum(RATING_LEVELS), z.number().int()),
});
export type StatsRowView = z.infer<typeof statsRowSchema>;

export const followUpSchema = z.object({
  id: z.string(),
  ticketNo: z.string(),
  businessDate: z.string(),
  level: z.enum(RATING_LEVELS),
  source: z.enum(['device', 'paper']),
  windowNo: z.number().int().nullable(),
  operatorName: z.string().nullable(),
  dueDate: z.string(),
  status: z.enum(['open', 'closed']),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type FollowUp = z.infer<typeof followUpSchema>;

export const evaluationRequestSchema = z.object({
  ticketId: z.string(),
  ticketNo: z.string(),
  windowNo: z.number().int(),
  operatorName: z.string(),
});
export type EvaluationRequest = z.infer<typeof evaluationRequestSchema>;

const ratingInput = {
  level: z.enum(RATING_LEVELS),
  dimensions: z.array(z.enum(RATING_DIMENSIONS)).max(RATING_DIMENSIONS.length).default([]),
  comment: z.string().trim().max(200).optional(),
};

export const queueMethods = {
  'queue.settings': method({ params: empty, result: queueSettingsSchema, access: 'session' }),
  'queue.updateSettings': method({ params: queueSettingsSchema, result: queueSettingsSchema, access: ['admin'] }),

  /**
   * A ticket from the kiosk (paired kiosk device) or printed by a teller for someone. With an ID or social security
   * number the visit is linked to the person, and a second open ticket of the same category is refused.
   */
  'queue.issue': method({
    params: z.object({ categoryCode: z.string().max(2), idNumber: idNumberInput }).strict(),
    result: z.object({ ticket: ticketViewSchema, ahead: z.number().int(), document: documentViewSchema }),
    access: 'public',
  }),
  /** A kiosk ticket taken with an ID or social security card in this PC's reader: linked to the person like queue.issue. */
  'queue.issueByCard': method({
    params: z.object({ categoryCode: z.string().max(2) }).strict(),
    result: z.object({ ticket: ticketViewSchema, ahead: z.number().int(), document: documentViewSchema }),
    access: 'public',
  }),
  /** Someone served at once at this window without a ticket (walk-in): the visit starts in service. */
  'queue.walkIn': method({
    params: z.object({ categoryCode: z.string().max(2), idNumber: idNumberInput }).strict(),
    result: windowResult,
    access: TELLER,
  }),
  'queue.window': method({ params: empty, result: windowResult, access: TELLER }),
  'queue.callNext': method({ params: empty, result: windowResult, access: TELLER }),
  'queue.call': method({ params: ticketRef, result: windowResult, access: TELLER }),
  'queue.recall': method({ params: ticketRef, result: windowResult, access: TELLER }),
  'queue.noShow': method({ params: ticketRef, result: windowResult, access: TELLER }),
  'queue.reactivate': method({ params: ticketRef.extend({ keepPlace: z.boolean() }).strict(), result: windowResult, access: TELLER }),
  'queue.hold': method({ params: ticketRef, result: windowResult, access: TELLER }),
  'queue.callBack': method({ params: ticketRef, result: windowResult, access: TELLER }),
  'queue.start': method({ params: ticketRef, result: windowResult, access: TELLER }),
  'queue.end': method({ params: ticketRef.extend({ outcome: z.enum(SERVICE_OUTCOMES) }).strict(), result: windowResult, access: TELLER }),
  'queue.transfer': method({
    params: ticketRef
      .extend({
        categoryCode: z.string().max(2),
        toWindow: windowNoSchema.nullable().default(null),
        toOperatorId: z.string().max(64).nullable().default(null),
        keepPlace: z.boolean(),
      })
      .strict(),
    result: windowResult,
    access: TELLER,
  }),
  'queue.pause': method({
    params: z.object({ reason: z.string().trim().min(2, '请填写暂停原因').max(20, '暂停原因不超过20个字') }).strict(),
    result: windowResult,
    access: TELLER,
  }),
  'queue.resume': method({ params: empty, result: windowResult, access: TELLER }),
  /** Links a case accepted during the current visit at this window (a visit = a ticket + its cases). */
  'queue.linkCase': method({ params: z.object({ caseId: z.string().max(64) }).strict(), result: ok, access: ['teller'] }),

  /** What the hall display and the kiosk show; a paired device or any operator. */
  'queue.snapshot': method({ params: empty, result: displaySnapshotSchema, access: 'public' }),
  /** Pushes queue.snapshot and queue.called (and evaluation events to a paired evaluator) to this connection. */
  'queue.subscribe': method({ params: empty, result: ok, access: 'public' }),

  /** Pairs this connection as the enrolled hall device whose key it presents (see docs/hall.md). */
  'hall.pair': method({
    params: z.object({ kind: z.enum(HALL_DEVICE_KINDS), key: z.string().min(8).max(64) }).strict(),
    result: z.object({
      deviceId: z.string(),
      kind: z.enum(HALL_DEVICE_KINDS),
      name: z.string(),
      windowNo: z.number().int().nullable(),
      stationName: z.string(),
    }),
    access: 'public',
  }),
  'hall.devices': method({ params: empty, result: z.array(hallDeviceSchema), access: ['admin'] }),
  /** Enrols one device; its key is in this answer only (the host keeps a hash). */
  'hall.addDevice': method({
    params: z
      .object({
        kind: z.enum(HALL_DEVICE_KINDS),
        name: z.string().trim().min(2, '设备名称至少2个字').max(20, '设备名称不超过20个字'),
        windowNo: windowNoSchema.nullable().default(null),
      })
      .strict(),
    result: z.object({ device: hallDeviceSchema, key: z.string() }),
    access: ['admin'],
  }),
  /** A new key for a device: the old address stops working and its connections are dropped. */
  'hall.rotateDevice': method({
    params: z.object({ id: z.string().max(64) }).strict(),
    result: z.object({ device: hallDeviceSchema, key: z.string() }),
    access: ['admin'],
  }),
  'hall.revokeDevice': method({ params: z.object({ id: z.string().max(64) }).strict(), result: hallDeviceSchema, access: ['admin'] }),

  /**
   * A paired counter's queue call, acting for the operator signed in there (by username; the host checks the account
   * is one of its enabled tellers) at the counter's enrolled window.
   */
  'hall.relay': method({
    params: z
      .object({ method: z.enum(RELAYED_QUEUE_METHODS), params: z.unknown(), operator: z.string().min(1).max(64).nullable() })
      .strict(),
    result: z.unknown(),
    access: 'public',
  }),
  /** Visits a paired counter served while it could not reach the host; idempotent by ticket id. */
  'hall.handOver': method({
    params: z.object({ visits: z.array(handedOverVisitSchema).min(1).max(100) }).strict(),
    result: z.object({ taken: z.array(z.string()) }),
    access: 'public',
  }),
  /** This PC's side of the hall link. */
  'hall.link': method({ params: empty, result: hallLinkStatusSchema, access: 'session' }),
  /** Points this PC at a hall host (url and its counter key), or back to being its own host (url null). */
  'hall.setLink': method({
    params: z.union([
      z
        .object({
          url: z
            .string()
            .trim()
            .regex(/^https?:\/\/[^\s/?#]+\/?$/, '请输入大厅主机地址，如 http://192.168.1.10:5180')
            .max(200),
          key: z.string().trim().min(8, '请输入窗口终端密钥').max(64),
        })
        .strict(),
      z.object({ url: z.null() }).strict(),
    ]),
    result: hallLinkStatusSchema,
    access: ['admin'],
  }),

  /** The evaluation waiting at this evaluator's window, if any. */
  'rating.pending': method({ params: empty, result: evaluationRequestSchema.nullable(), access: 'public' }),
  /** The citizen's rating; only from a paired evaluator connection without an operator session. */
  'rating.submit': method({
    params: z.object({ ticketId: z.string().max(64), ...ratingInput }).strict(),
    result: z.object({ followUp: z.boolean() }),
    access: 'public',
  }),
  /** A paper form entered later by a supervisor, marked as such. */
  'rating.paper': method({
    params: z.object({ ticketNo: z.string().trim().toUpperCase().max(8), businessDate: businessDateSchema, ...ratingInput }).strict(),
    result: z.object({ followUp: z.boolean() }),
    access: SUPERVISOR,
  }),
  'rating.followUps': method({
    params: z.object({ status: z.enum(['open', 'closed']) }).strict(),
    result: z.array(followUpSchema),
    access: SUPERVISOR,
  }),
  'rating.closeFollowUp': method({
    params: z.object({ id: z.string().max(64), note: z.string().trim().min(2, '请填写整改回访情况').max(200) }).strict(),
    result: followUpSchema,
    access: SUPERVISOR,
  }),

  'queue.stats': method({
    params: z.object({ from: businessDateSchema, to: businessDateSchema, by: z.enum(STATS_DIMENSIONS) }).strict(),
    result: z.object({ rows: z.array(statsRowSchema), total: statsRowSchema, waitTargetMinutes: z.number().int() }),
    access: SUPERVISOR,
  }),
} as const;
