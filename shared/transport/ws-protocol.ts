import { z } from 'zod';
import type { Envelope } from '../api/errors';
import type { CoreEvent } from '../api/events';

/** Frames on the WebSocket between a browser client and the core host. */
export const wsRequestSchema = z.object({ id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() });
export type WsRequest = z.infer<typeof wsRequestSchema>;

export type WsServerFrame = { kind: 'reply'; id: number; envelope: Envelope } | { kind: 'event'; event: CoreEvent };
