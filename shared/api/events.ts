import { z } from 'zod';
import { sessionSchema } from './auth';
import { deviceStatusSchema } from './system';

/** Events the core pushes to a connected client. */
export const coreEventSchema = z.discriminatedUnion('type', [
  /** The session of this connection changed: logged in, locked, unlocked, logged out (null). */
  z.object({ type: z.literal('session.changed'), session: sessionSchema.nullable() }),
  z.object({ type: z.literal('device.status'), device: deviceStatusSchema }),
]);
export type CoreEvent = z.infer<typeof coreEventSchema>;
