import { z } from 'zod';
import { businessDateSchema } from '../domain/calendar/dates';
import { MAX_FILE_BYTES } from '../sync/files';
import { documentViewSchema } from './cases';
import { empty, method, ok } from './define';

const ALL_STAFF = ['teller', 'reviewer', 'approver', 'admin'] as const;

/** What a page may be: a photo or scan of a material (stored as JPEG after compression), or a PDF kept as it came. */
export const PAGE_MIMES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type PageMime = (typeof PAGE_MIMES)[number];

/**
 * Largest file one `pages.attach` takes inline, as base64. The WebSocket host accepts frames of 1 MiB, and base64 grows
 * the bytes by a third; a larger file is staged first with `pages.uploadPart`.
 */
export const PAGE_UPLOAD_MAX_BYTES = 700 * 1024;

/** Largest page file (a scanned multi-page PDF of a thick file of materials): what file sync carries. */
export const PAGE_FILE_MAX_BYTES = MAX_FILE_BYTES;

/** Largest part of a staged upload, decoded: its base64 stays well inside one WebSocket frame. */
export const PAGE_PART_MAX_BYTES = 512 * 1024;

/** A staged upload's name: a random UUID the client makes, which also keeps any path out of the file name. */
export const uploadIdSchema = z.uuid('上传编号无效');

/** Decoded length of valid base64 (padded, as `z.base64()` requires). */
const base64Bytes = (data: string) => (data.length / 4) * 3 - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);

const fileName = z.string().trim().min(1).max(200);
/** The browser's claim, kept in the audit entry when the bytes say otherwise. */
const claimedMime = z.string().max(100);

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

/**
 * How images are stored: scaled down to this longest side in pixels and re-encoded as JPEG at this quality. Larger and
 * better means sharper pages and more disk, backup and upload per page (about 0.4 MB at 2000 px and 80).
 */
export const pageCompressionSchema = z
  .object({
    maxLongSide: z.int('长边像素须为整数').min(1000, '长边不能小于1000像素').max(4000, '长边不能超过4000像素'),
    jpegQuality: z.int('压缩质量须为整数').min(50, '压缩质量不能低于50').max(95, '压缩质量不能高于95'),
  })
  .strict();
export type PageCompressionSetting = z.infer<typeof pageCompressionSchema>;

/** The archive settings on 站点设置: retention per sub-item, sealing on schedule, and how page images are stored. */
export const archiveSettingsSchema = z.object({
  /** Seal every filed, unsealed volume this many days after filing; null when off. */
  autoSealDays: z.int().nullable(),
  /** When the schedule checks next; null when off. */
  nextCheckAt: z.string().nullable(),
  retention: z.array(retentionRowSchema),
  compression: pageCompressionSchema,
});
export type ArchiveSettings = z.infer<typeof archiveSettingsSchema>;

export const archiveMethods = {
  /**
   * Files a captured or imported page with a material of a case; the type is read from the bytes, never from the name.
   * The file comes inline (`dataBase64`, up to PAGE_UPLOAD_MAX_BYTES) or staged before with `pages.uploadPart` or
   * `scanner.stage` (`uploadId` and its whole `size`); a staged file is used once, then deleted.
   */
  'pages.attach': method({
    params: z
      .object({
        caseId: z.string(),
        materialCode: z.string().max(16),
        file: z.union([
          z
            .object({
              name: fileName,
              mime: claimedMime,
              dataBase64: z
                .string()
                .min(1, '文件为空')
                .max(Math.ceil(PAGE_UPLOAD_MAX_BYTES / 3) * 4, `文件超过${PAGE_UPLOAD_MAX_BYTES / 1024}KB，请分段上传`),
            })
            .strict(),
          z
            .object({
              name: fileName,
              mime: claimedMime,
              uploadId: uploadIdSchema,
              size: z
                .int()
                .min(1, '文件为空')
                .max(PAGE_FILE_MAX_BYTES, `文件超过${PAGE_FILE_MAX_BYTES / 1024 / 1024}MB，不能导入`),
            })
            .strict(),
        ]),
      })
      .strict(),
    result: pageViewSchema,
    access: ['teller'],
  }),
  /**
   * One part of a large file, staged for `pages.attach`: appended at `offset`, which must be the bytes received so far
   * (else CONFLICT carrying `received`, where the client resumes); a part already received is acknowledged unwritten.
   */
  'pages.uploadPart': method({
    params: z
      .object({
        uploadId: uploadIdSchema,
        offset: z.int().min(0).max(PAGE_FILE_MAX_BYTES),
        dataBase64: z
          .base64('分段数据无效')
          .min(1, '分段为空')
          .refine((d) => base64Bytes(d) <= PAGE_PART_MAX_BYTES, `每段不能超过${PAGE_PART_MAX_BYTES / 1024}KB`),
      })
      .strict()
      .refine((p) => p.offset + base64Bytes(p.dataBase64) <= PAGE_FILE_MAX_BYTES, {
        error: `文件超过${PAGE_FILE_MAX_BYTES / 1024 / 1024}MB，不能导入`,
        path: ['offset'],
      }),
    result: z.object({ received: z.number().int() }),
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
  /** 影像压缩: the size and quality new pages are stored at (pages already stored stay as they are). */
  'archive.setCompression': method({ params: pageCompressionSchema, result: archiveSettingsSchema, access: ['admin'] }),
} as const;
