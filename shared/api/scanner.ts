import { z } from 'zod';
import { PAGE_MIMES } from './archive';
import { empty, method } from './define';

/**
 * The scanner's drop folder (扫描文件夹): many halls' scanners save each scan as a file into a folder of the counter PC.
 * The core lists and reads that folder only; the renderer files what the teller picks through `pages.attach`, exactly
 * as an imported file, and the core then moves the filed files into the `已归入` subfolder (never deleting any).
 */

/** Subfolder of the drop folder that receives the files already filed, so they are not offered again. */
export const SCANNER_FILED_FOLDER = '已归入';

/** Largest scan the core reads: the renderer shrinks pictures to the upload limit, this only bounds what is read. */
export const SCANNER_FILE_MAX_BYTES = 20 * 1024 * 1024;

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
  /** Above SCANNER_FILE_MAX_BYTES: listed so the teller sees why it cannot be taken. */
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
  /** One waiting file's bytes, with its type read from the bytes; to be filed with `pages.attach`. */
  'scanner.read': method({
    params: z.object({ name: fileName }).strict(),
    result: z.object({ name: z.string(), mime: z.enum(PAGE_MIMES), dataBase64: z.string() }),
    access: ['teller'],
  }),
  /** Moves filed files into `已归入` (audited); files no longer there are skipped. */
  'scanner.done': method({
    params: z.object({ names: z.array(fileName).min(1).max(SCANNER_LIST_MAX) }).strict(),
    result: z.object({ moved: z.array(z.string()) }),
    access: ['teller'],
  }),
} as const;
