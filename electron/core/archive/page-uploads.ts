import {
  closeSync,
  constants,
  copyFileSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { PAGE_FILE_MAX_BYTES, uploadIdSchema } from '#shared/api/archive';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';

/** Staged uploads untouched for this long were abandoned (the teller imports such a file again): removed at start. */
export const STAGED_UPLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const TOO_LARGE = `文件超过${PAGE_FILE_MAX_BYTES / 1024 / 1024}MB，不能导入`;

/**
 * Page files too large for one call, staged before `pages.attach` files them: `<dataDir>/uploads/<uploadId>.part`,
 * appended part by part in order. Its length is where the next part starts, so an upload whose reply was lost resumes
 * where the core says it stopped. A staged file is used once: `take` deletes it.
 */
export function pageUploads(dataDir: string) {
  const root = join(dataDir, 'uploads');
  const pathOf = (uploadId: string) => {
    // The contract checks the format already; this keeps the module from naming anything outside the folder on its own.
    if (!uploadIdSchema.safeParse(uploadId).success) throw new ApiError('VALIDATION', '上传编号无效');
    return join(root, `${uploadId}.part`);
  };
  const sizeOf = (path: string): number | null => {
    try {
      return statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };

  return {
    /** Appends the part at `offset`; answers the bytes received so far. */
    append(uploadId: string, offset: number, bytes: Buffer): number {
      const path = pathOf(uploadId);
      const received = sizeOf(path) ?? 0;
      if (offset > received) {
        throw new ApiError('CONFLICT', `上传不连续：已收到${received}字节，请从此处继续`, { reason: 'upload_offset', received });
      }
      // A part sent again (its reply lost) is acknowledged; only bytes beyond those received are written.
      const fresh = bytes.subarray(received - offset);
      if (fresh.length === 0) return received;
      if (received + fresh.length > PAGE_FILE_MAX_BYTES) throw new ApiError('VALIDATION', TOO_LARGE);
      mkdirSync(root, { recursive: true });
      const fd = openSync(path, 'a', 0o600);
      try {
        writeFileSync(fd, fresh);
        // On disk before it is acknowledged: after a power cut the length still says what arrived.
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return received + fresh.length;
    },

    /** A new staged upload copied from a file (a scan in the drop folder); answers its size. */
    copy(uploadId: string, source: string): number {
      const path = pathOf(uploadId);
      mkdirSync(root, { recursive: true });
      copyFileSync(source, path, constants.COPYFILE_EXCL);
      // Checked on the copy: the file may have grown since it was looked at.
      const size = sizeOf(path) ?? 0;
      if (size > PAGE_FILE_MAX_BYTES) {
        rmSync(path, { force: true });
        throw new ApiError('VALIDATION', TOO_LARGE);
      }
      return size;
    },

    /** The whole staged file, which must have exactly `size` bytes; deleted once read, whatever becomes of it. */
    take(uploadId: string, size: number): Buffer {
      const path = pathOf(uploadId);
      const received = sizeOf(path);
      if (received === null) throw new ApiError('NOT_FOUND', '上传的文件已不在（已归入或已过期清理），请重新导入');
      if (received !== size) {
        throw new ApiError('CONFLICT', `文件尚未上传完整：已收到${received}字节，共${size}字节`, { reason: 'upload_incomplete', received });
      }
      const bytes = readFileSync(path);
      rmSync(path, { force: true });
      return bytes;
    },

    /** Removes staged files last written more than a day before `now`; answers their names. */
    sweep(now: Date): string[] {
      let names: string[];
      try {
        names = readdirSync(root).filter((name) => name.endsWith('.part'));
      } catch {
        return []; // nothing was ever staged
      }
      return names.filter((name) => {
        const path = join(root, name);
        const stale = now.getTime() - statSync(path).mtimeMs > STAGED_UPLOAD_MAX_AGE_MS;
        if (stale) rmSync(path, { force: true });
        return stale;
      });
    },
  };
}
export type PageUploads = ReturnType<typeof pageUploads>;

/** `pages.uploadPart`: the parts of a large page file, staged for `pages.attach`. */
export function pageUploadHandlers(uploads: PageUploads): Pick<Handlers, 'pages.uploadPart'> {
  return {
    'pages.uploadPart': ({ uploadId, offset, dataBase64 }) => ({
      received: uploads.append(uploadId, offset, Buffer.from(dataBase64, 'base64')),
    }),
  };
}
