import { z } from 'zod';
import { empty, method } from './define';

export const deviceStatusSchema = z.object({
  kind: z.enum(['printer', 'card_reader']),
  name: z.string(),
  simulated: z.boolean(),
  state: z.enum(['ready', 'offline', 'error']),
  detail: z.string(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const systemStatusSchema = z.object({
  appVersion: z.string(),
  store: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    journalMode: z.string(),
    sizeBytes: z.number().int(),
    outboxPending: z.number().int(),
    auditEntries: z.number().int(),
  }),
  devices: z.array(deviceStatusSchema),
  serverTime: z.string(),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

export const systemMethods = {
  'system.ping': method({ params: empty, result: z.object({ pong: z.literal(true) }), access: 'public' }),
  'system.status': method({ params: empty, result: systemStatusSchema, access: 'session' }),
} as const;
