import { z } from 'zod';
import { empty, method, ok } from './define';

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
  /**
   * The material pages the backup carries, how many of their files it wrote (the others were already in the backup
   * folder), and how many it could not take because their file on this PC is missing or damaged. Absent from records
   * written before pages were backed up.
   */
  pages: z.object({ count: z.number().int(), written: z.number().int(), unavailable: z.number().int() }).optional(),
});
export type BackupRecord = z.infer<typeof backupRecordSchema>;

/** What a backup file says about itself (its authenticated header), readable without the key. */
export const backupFileInfoSchema = z.object({
  file: z.string(),
  stationCode: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  sizeBytes: z.number().int(),
});
export type BackupFileInfo = z.infer<typeof backupFileInfoSchema>;

/** The steps of a restore, in order; each is announced by a backup.restoreProgress event as it starts. */
export const RESTORE_STEPS = ['header', 'decrypt', 'verify', 'open', 'pages'] as const;
export type RestoreStep = (typeof RESTORE_STEPS)[number];
export const RESTORE_STEP_LABELS: Readonly<Record<RestoreStep, string>> = {
  header: '核对站点与版本',
  decrypt: '解密并校验文件',
  verify: '完整性检查与记录数核对',
  open: '打开并升级数据库，核对审计链',
  pages: '恢复并逐页校验材料影像',
};

/** The phases of a backup, reported by backup.progress events. */
export const BACKUP_PHASES = ['database', 'pages'] as const;
export type BackupPhase = (typeof BACKUP_PHASES)[number];

/** What a restore did with the material pages the restored store refers to. */
export const pageRestoreSchema = z.object({
  total: z.number().int(),
  /** Decrypted from the backup folder, verified by their SHA-256 and written. */
  restored: z.number().int(),
  /** Already on this PC and whole (a restore from the backup page): kept as they are. */
  present: z.number().int(),
  /** Not written: no page file in the backup folder (or the backup carries no pages). */
  missing: z.number().int(),
  /** Not written: the page file does not decrypt or does not match its hash. */
  damaged: z.number().int(),
  /** The first missing and damaged pages by hash; all of them are in the log (and printed by the restore script). */
  problems: z.array(z.object({ sha256: z.string(), found: z.enum(['missing', 'damaged']) })),
});
export type PageRestore = z.infer<typeof pageRestoreSchema>;

/** A restore verified and staged beside the live store, switched to at the next start. */
export const pendingRestoreSchema = z.object({
  file: z.string(),
  stationCode: z.string(),
  backupCreatedAt: z.string(),
  preparedAt: z.string(),
  preparedBy: z.string().nullable(),
  /** The folder inside the data folder the current store is moved to at the switch (kept, never deleted). */
  keptAs: z.string(),
  /** Absent from a restore staged by a version that did not restore pages. */
  pages: pageRestoreSchema.optional(),
});
export type PendingRestore = z.infer<typeof pendingRestoreSchema>;

/** The last restore this store went through, as recorded in the store by the restore itself. */
export const lastRestoreSchema = z.object({
  at: z.string(),
  file: z.string(),
  backupCreatedAt: z.string(),
  /** Absent from restores done by a version that did not restore pages. */
  pages: pageRestoreSchema.optional(),
});
export type LastRestore = z.infer<typeof lastRestoreSchema>;

export const backupStatusSchema = z.object({
  settings: backupSettingsSchema,
  history: z.array(backupRecordSchema),
  /** Backup files present in the backup folder now, newest first (a stick may have been swapped). */
  files: z.array(backupFileInfoSchema),
  overdue: z.boolean(),
  /** Identifies the station's backup key without revealing it. */
  keyFingerprint: z.string(),
  running: z.boolean(),
  pendingRestore: pendingRestoreSchema.nullable(),
  lastRestore: lastRestoreSchema.nullable(),
  /** The app can restart itself (the Electron shell); elsewhere the administrator restarts it by hand. */
  canRestart: z.boolean(),
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

const backupFileSchema = z.string().trim().min(1, '请选择或填写备份文件').max(1000, '文件路径过长');

export const backupMethods = {
  'backup.status': method({ params: empty, result: backupStatusSchema, access: ['admin'] }),
  'backup.updateSettings': method({ params: backupSettingsSchema, result: backupSettingsSchema, access: ['admin'] }),
  /** Runs a backup now; progress arrives as backup.progress events on the caller's connection. */
  'backup.run': method({ params: empty, result: backupRecordSchema, access: ['admin'] }),
  /** The key itself, to keep apart from the PC (restoring on a new disk needs it). Audited. */
  'backup.exportKey': method({ params: empty, result: z.object({ key: z.string(), fingerprint: z.string() }), access: ['admin'] }),
  /** Reads a backup file's header, to confirm which backup is about to be restored. */
  'backup.inspect': method({ params: z.object({ file: backupFileSchema }).strict(), result: backupFileInfoSchema, access: ['admin'] }),
  /**
   * Verifies a backup into a fresh folder beside the live store and stages it for the next start; steps arrive as
   * backup.restoreProgress events. Refuses another station's backup and a newer version. Audited, refusals too.
   */
  'backup.restore': method({
    params: z
      .object({
        file: backupFileSchema,
        /** The recovery key (base64) when the backup was written under another PC's key; this PC's key otherwise. */
        key: z.string().trim().max(200).optional(),
      })
      .strict(),
    result: pendingRestoreSchema,
    access: ['admin'],
  }),
  /** Drops a staged restore before the restart: the live store stays as it is. Audited. */
  'backup.cancelRestore': method({ params: empty, result: ok, access: ['admin'] }),
  /** Restarts the app so a staged restore takes effect; `restarting` is false where the app cannot restart itself. */
  'backup.restartNow': method({ params: empty, result: z.object({ restarting: z.boolean() }), access: ['admin'] }),
} as const;
