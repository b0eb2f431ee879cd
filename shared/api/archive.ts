import { z } from 'zod';
import { businessDateSchema } from '../domain/calendar/dates';
import { documentViewSchema } from './cases';
import { empty, method, ok } from './define';

const ALL_STAFF = ['teller', 'reviewer', 'approver', 'admin'] as const;

/** What a page may be: a photo or scan of a material (stored as JPEG after compression), or a PDF kept as it came. */
export const PAGE_MIMES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type PageMime = (typeof PAGE_MIMES)[number];

/**
 * Largest file one `pages.attach` takes. The WebSocket host accepts frames of 1 MiB, and base64 grows the bytes by a
 * third; the workbench shrinks larger photos before sending them. Chunked uploads come with file sync.
 */
export const PAGE_UPLOAD_MAX_BYTES = 700 * 1024;

export const pageViewSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  materialCode: z.string(),
  /** Order of the page among the pages of its material, from 1. */
  seq: z.number().int(),
  sha256: z.string(),
  mime: z.enum(PAGE_MIMES),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  name: z.string(),
  attachedAt: z.string(),
  attachedByName: z.string(),
  /** Added after the archive was sealed (补充归档): outside the sealed catalogue, audited on its own. */
  supplement: z.boolean(),
});
export type PageView = z.infer<typeof pageViewSchema>;

/**
 * 保管期限: null for 永久, else the years a volume is kept, counted from 1 January after the year it was filed. The usual
 * classes of social-insurance business archives are 永久 and 定期 100, 50 and 10 years.
 */
export const retentionYearsSchema = z
  .int('保管期限须为整数年')
  .min(1, '保管期限至少1年')
  .max(100, '定期保管期限最长100年，更长请选永久')
  .nullable();
export type RetentionYears = z.infer<typeof retentionYearsSchema>;
export const RETENTION_CLASSES: readonly RetentionYears[] = [null, 100, 50, 10];

export const retentionLabel = (years: RetentionYears): string => (years === null ? '永久' : `${years}年`);

/** The volume's state as the search filters it: 已到期 means its retention is over and it waits for appraisal (鉴定). */
export const VOLUME_STATES = ['unsealed', 'sealed', 'expired'] as const;
export const VOLUME_STATE_LABELS = { unsealed: '未封存', sealed: '已封存', expired: '已到期' } as const;

/** The archive volume (案卷) of one delivered case. */
export const volumeViewSchema = z.object({
  caseId: z.string(),
  caseNo: z.string(),
  itemCode: z.string(),
  subItemName: z.string(),
  /** The person (name and masked ID number) or employer the case was for. */
  applicant: z.string().nullable(),
  businessDate: z.string(),
  filedAt: z.string(),
  filedByName: z.string(),
  sealedAt: z.string().nullable(),
  /** Who sealed it; 系统（自动封存） for the schedule. */
  sealedByName: z.string().nullable(),
  pages: z.number().int(),
  supplements: z.number().int(),
  /** The catalogue (卷内目录), a document `document.get` returns for preview and print. */
  documentId: z.string(),
  /** The retention in force when the volume was filed (refiling before sealing takes the one in force then). */
  retentionYears: retentionYearsSchema,
  /** The last year of retention (null for 永久). */
  retentionUntil: z.number().int().nullable(),
  /** Retention over: due for appraisal. Nothing is ever deleted automatically. */
  expired: z.boolean(),
});
export type VolumeView = z.infer<typeof volumeViewSchema>;

/** The retention of one sub-item of the catalogue in force, and the default it overrides (if it does). */
export const retentionRowSchema = z.object({
  itemCode: z.string(),
  itemName: z.string(),
  subItemCode: z.string(),
  subItemName: z.string(),
  years: retentionYearsSchema,
  defaultYears: retentionYearsSchema,
});
export type RetentionRow = z.infer<typeof retentionRowSchema>;

export const MAX_AUTO_SEAL_DAYS = 365;

/** The archive settings on 站点设置: retention per sub-item and sealing on schedule. */
export const archiveSettingsSchema = z.object({
  /** Seal every filed, unsealed volume this many days after filing; null when off. */
  autoSealDays: z.int().nullable(),
  /** When the schedule checks next; null when off. */
  nextCheckAt: z.string().nullable(),
  retention: z.array(retentionRowSchema),
});
export type ArchiveSettings = z.infer<typeof archiveSettingsSchema>;

export const archiveMethods = {
  /** Files a captured or imported page with a material of a case; the type is read from the bytes, never from the name. */
  'pages.attach': method({
    params: z
      .object({
        caseId: z.string(),
        materialCode: z.string().max(16),
        file: z
          .object({
            name: z.string().trim().min(1).max(200),
            /** The browser's claim, kept in the audit entry when the bytes say otherwise. */
            mime: z.string().max(100),
            dataBase64: z
              .string()
              .min(1, '文件为空')
              .max(Math.ceil(PAGE_UPLOAD_MAX_BYTES / 3) * 4, `文件超过${PAGE_UPLOAD_MAX_BYTES / 1024}KB，请压缩后再导入`),
          })
          .strict(),
      })
      .strict(),
    result: pageViewSchema,
    access: ['teller'],
  }),
  'pages.list': method({ params: z.object({ caseId: z.string() }).strict(), result: z.array(pageViewSchema), access: ALL_STAFF }),
  /** One page with its bytes as a data URL, verified against its hash first: a damaged page is refused, never shown. */
  'pages.get': method({
    params: z.object({ pageId: z.string() }).strict(),
    result: z.object({ page: pageViewSchema, dataUrl: z.string() }),
    access: ALL_STAFF,
  }),
  /** Takes a page off its case while the case is not yet delivered; the page stays in the store and the audit log. */
  'pages.remove': method({ params: z.object({ pageId: z.string() }).strict(), result: ok, access: ['teller'] }),
  /** Files a delivered case (归档) with its catalogue; filing again before sealing refreshes the catalogue. */
  'archive.file': method({
    params: z.object({ caseId: z.string() }).strict(),
    result: z.object({ volume: volumeViewSchema, document: documentViewSchema }),
    access: ['teller', 'admin'],
  }),
  /** Seals a filed volume (封存): from then on it cannot change; a later page is an audited supplement. */
  'archive.seal': method({ params: z.object({ caseId: z.string() }).strict(), result: volumeViewSchema, access: ['admin'] }),
  /**
   * Filed volumes by person (name in part or ID number), employer (name in part or credit code), case number, item or
   * sub-item, period (business date or filing date, both days included) and state; newest filing first, at most 500.
   */
  'archive.search': method({
    params: z
      .object({
        person: z.string().trim().min(1).max(40).optional(),
        employer: z.string().trim().min(1).max(100).optional(),
        caseNo: z.string().trim().min(1).max(40).optional(),
        itemCode: z.string().max(16).optional(),
        dateOf: z.enum(['business', 'filed']).default('business'),
        from: businessDateSchema.optional(),
        to: businessDateSchema.optional(),
        state: z.enum(VOLUME_STATES).optional(),
      })
      .strict()
      .refine((p) => !p.from || !p.to || p.from <= p.to, { error: '结束日期不能早于开始日期', path: ['to'] }),
    result: z.array(volumeViewSchema),
    access: ALL_STAFF,
  }),
  'archive.settings': method({ params: empty, result: archiveSettingsSchema, access: ['admin'] }),
  /** Sets the retention of a sub-item, or of every sub-item of an item; a value equal to the default drops the override. */
  'archive.setRetention': method({
    params: z.object({ code: z.string().min(1).max(16), years: retentionYearsSchema }).strict(),
    result: archiveSettingsSchema,
    access: ['admin'],
  }),
  /** 自动封存: off (null) or N days after filing. */
  'archive.setAutoSeal': method({
    params: z
      .object({
        afterDays: z.int('天数须为整数').min(0, '天数不能小于0').max(MAX_AUTO_SEAL_DAYS, `天数不能超过${MAX_AUTO_SEAL_DAYS}`).nullable(),
      })
      .strict(),
    result: archiveSettingsSchema,
    access: ['admin'],
  }),
} as const;
