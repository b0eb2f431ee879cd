import { z } from 'zod';
import { sessionSchema } from './auth';
import { BACKUP_PHASES, RESTORE_STEPS } from './backup';
import { CARD_KINDS, cardViewSchema, deviceOverviewSchema, printJobSchema } from './devices';
import { displaySnapshotSchema, evaluationRequestSchema, hallLinkStatusSchema } from './queue';
import { syncStatusSchema } from './sync';

/** Events the core pushes to a connected client. */
export const coreEventSchema = z.discriminatedUnion('type', [
  /** The session of this connection changed: logged in, locked, unlocked, logged out (null). */
  z.object({ type: z.literal('session.changed'), session: sessionSchema.nullable() }),
  /** A printer or card reader changed state (online, paper out, unplugged…): the whole picture. */
  z.object({ type: z.literal('device.status'), devices: deviceOverviewSchema }),
  /** A print job was queued or changed state. */
  z.object({ type: z.literal('print.job'), job: printJobSchema }),
  /** A card was read; `card.personId` is set when the registry knows the number. */
  z.object({ type: z.literal('card.read'), card: cardViewSchema }),
  z.object({ type: z.literal('card.removed'), kind: z.enum(CARD_KINDS) }),
  /** A read failed: the message says why in Chinese; no person comes with it. */
  z.object({ type: z.literal('card.error'), kind: z.enum(CARD_KINDS), code: z.string(), message: z.string() }),
  /** The hall changed: what the display and kiosk show, pushed to subscribed connections. */
  z.object({ type: z.literal('queue.snapshot'), snapshot: displaySnapshotSchema }),
  /** A ticket called (or recalled) to a window: the display announces it. */
  z.object({ type: z.literal('queue.called'), ticketNo: z.string(), windowNo: z.number().int(), recall: z.boolean(), at: z.string() }),
  /** To the evaluator of a window: the service ended, ask for a rating; null once it is rated or superseded. */
  z.object({ type: z.literal('evaluation.requested'), windowNo: z.number().int(), request: evaluationRequestSchema.nullable() }),
  /** This PC's hall link changed state (online, offline, reconnecting…). */
  z.object({ type: z.literal('hall.link'), status: hallLinkStatusSchema }),
  /** The admin revoked or re-keyed this hall device: it must be paired again with a new address. */
  z.object({ type: z.literal('hall.unpaired'), message: z.string() }),
  /** Sync with the central office changed state, or the count of operations waiting changed: the whole picture. */
  z.object({ type: z.literal('sync.status'), status: syncStatusSchema }),
  /** Progress of a backup this connection started: database pages, then material pages, copied of the total. */
  z.object({ type: z.literal('backup.progress'), phase: z.enum(BACKUP_PHASES), done: z.number().int(), total: z.number().int() }),
  /**
   * A restore this connection started has begun a step (they run in RESTORE_STEPS order); the pages step reports its
   * progress as well, material pages done of the total.
   */
  z.object({
    type: z.literal('backup.restoreProgress'),
    step: z.enum(RESTORE_STEPS),
    done: z.number().int().optional(),
    total: z.number().int().optional(),
  }),
  /** Progress of a report export this connection started: rows written of the total. */
  z.object({ type: z.literal('reports.exportProgress'), exportId: z.string(), done: z.number().int(), total: z.number().int() }),
]);
export type CoreEvent = z.infer<typeof coreEventSchema>;
