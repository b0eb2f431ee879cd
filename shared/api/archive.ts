import { z } from 'zod';
import { documentViewSchema } from './cases';
import { method, ok } from './define';

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
  pages: z.number().int(),
  supplements: z.number().int(),
  /** The catalogue (卷内目录), a document `document.get` returns for preview and print. */
  documentId: z.string(),
});
export type VolumeView = z.infer<typeof volumeViewSchema>;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD');

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
  /** Filed volumes by person or employer (name, ID number, credit code), case number, item and business-date period. */
  'archive.search': method({
    params: z
      .object({
        party: z.string().trim().min(1).max(40).optional(),
        caseNo: z.string().trim().min(1).max(40).optional(),
        itemCode: z.string().max(16).optional(),
        from: date.optional(),
        to: date.optional(),
      })
      .strict(),
    result: z.array(volumeViewSchema),
    access: ALL_STAFF,
  }),
} as const;
