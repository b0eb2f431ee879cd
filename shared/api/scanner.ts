import { z } from 'zod';
import { PAGE_MIMES, uploadIdSchema } from './archive';
import { empty, method } from './define';

/**
 * The scanner's drop folder (扫描文件夹): many halls' scanners save each scan as a file into a folder of the counter PC.
 * The core lists that folder and copies a picked file into its staged uploads, never sending the bytes through the
 * renderer; the renderer files it through `pages.attach` as any staged upload, and the core then moves the filed files
 * into the `已归入` subfolder (never deleting any).
 */

/** Subfolder of the drop folder that receives the files already filed, so they are not offered again. */
export const SCANNER_FILED_FOLDER = '已归入';

/** Newest files listed at most; older ones show once these are filed. */
export const SCANNER_LIST_MAX = 200;

/** A file name directly inside the folder: no path separators, no `..`, so no way out of it. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n) && !n.includes('..'), '只能读取扫描文件夹中的文件');

export const scannerSettingsSchema = z
  .object({
    /** Absolute path of an existing folder; '' when this PC has no scanner folder. */
    folder: z.string().trim().max(500, '路径过长'),
  })
  .strict();
export type ScannerSettings = z.infer<typeof scannerSettingsSchema>;

export const scannerFileSchema = z.object({
  name: z.string(),
  /** From the name, for the list only: what a file is comes from its bytes when it is read. */
  kind: z.enum(['image', 'pdf']),
  size: z.number().int(),
  modifiedAt: z.string(),
  /** Above PAGE_FILE_MAX_BYTES (archive.ts): listed so the teller sees why it cannot be taken. */
  tooLarge: z.boolean(),
});
export type ScannerFile = z.infer<typeof scannerFileSchema>;

export const scannerMethods = {
  /** This PC's scanner folder (the demo drop folder in demo mode until one is saved). */
  'scanner.settings': method({ params: empty, result: scannerSettingsSchema, access: ['admin'] }),
  /** Audited; the folder must exist and be a directory. */
  'scanner.saveSettings': method({ params: scannerSettingsSchema, result: scannerSettingsSchema, access: ['admin'] }),
  /** The JPEG, PNG and PDF files waiting in the folder, newest first; `folder` null when this PC has none. */
  'scanner.list': method({
    params: empty,
    result: z.object({ folder: z.string().nullable(), files: z.array(scannerFileSchema), more: z.number().int() }),
    access: ['teller'],
  }),
  /** A small JPEG of a waiting picture, for the list. */
  'scanner.thumbnail': method({
    params: z.object({ name: fileName }).strict(),
    result: z.object({ dataUrl: z.string() }),
    access: ['teller'],
  }),
  /**
   * Copies one waiting file into the core's staged uploads, with its type read from the bytes; `pages.attach` then files
   * it by `uploadId` and `size`. The file stays in the folder until `scanner.done`.
   */
  'scanner.stage': method({
    params: z.object({ name: fileName }).strict(),
    result: z.object({ uploadId: uploadIdSchema, name: z.string(), mime: z.enum(PAGE_MIMES), size: z.number().int() }),
    access: ['teller'],
  }),
  /** Moves filed files into `已归入` (audited); files no longer there are skipped. */
  'scanner.done': method({
    params: z.object({ names: z.array(fileName).min(1).max(SCANNER_LIST_MAX) }).strict(),
    result: z.object({ moved: z.array(z.string()) }),
    access: ['teller'],
  }),
} as const;
