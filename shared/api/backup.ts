import { z } from 'zod';
import { empty, method } from './define';

export const backupSettingsSchema = z
  .object({
    dir: z.string().trim().min(1, '请填写备份目录').max(260).nullable(),
    intervalHours: z.number().int().min(1, '备份间隔至少1小时').max(168, '备份间隔不超过7天'),
    keep: z.number().int().min(1, '至少保留1份').max(365),
  })
  .strict();

export const backupRecordSchema = z.object({
  file: z.string(),
  createdAt: z.string(),
  sizeBytes: z.number().int(),
  verified: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
});
export type BackupRecord = z.infer<typeof backupRecordSchema>;

export const backupStatusSchema = z.object({
  settings: backupSettingsSchema,
  history: z.array(backupRecordSchema),
  overdue: z.boolean(),
  /** Identifies the station's backup key without revealing it. */
  keyFingerprint: z.string(),
  running: z.boolean(),
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

export const backupMethods = {
  'backup.status': method({ params: empty, result: backupStatusSchema, access: ['admin'] }),
  'backup.updateSettings': method({ params: backupSettingsSchema, result: backupSettingsSchema, access: ['admin'] }),
  /** Runs a backup now; progress arrives as backup.progress events on the caller's connection. */
  'backup.run': method({ params: empty, result: backupRecordSchema, access: ['admin'] }),
  /** The key itself, to keep apart from the PC (restoring on a new disk needs it). Audited. */
  'backup.exportKey': method({ params: empty, result: z.object({ key: z.string(), fingerprint: z.string() }), access: ['admin'] }),
} as const;
