import { z } from 'zod';

/**
 * Wire types of file sync (docs/sync-protocol.md, "File sync"): the bytes of material pages travel apart from the
 * operations, by content hash, in resumable chunks. A device may only upload a file that an operation of its station
 * already applied at the central office references (`case.page_attached`), so pages always follow their operations
 * and the central office is never a general-purpose file store.
 */

/** A file's name everywhere: the lower-case hex SHA-256 of its bytes. */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, '应为64位小写十六进制SHA-256');

/** Largest file the protocol carries (a multi-page PDF of a thick file of materials). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Largest chunk one upload request may carry; devices choose smaller ones on slow links. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** Files one status request may ask about. */
export const MAX_STATUS_FILES = 200;

export const fileRefSchema = z.object({ sha256: sha256HexSchema, size: z.number().int().min(1).max(MAX_FILE_BYTES) }).strict();
export type FileRef = z.infer<typeof fileRefSchema>;

/** `POST /v1/files/status`: which of these files the central office holds, and how far a partial upload got. */
export const fileStatusRequestSchema = z.object({ files: z.array(fileRefSchema).min(1).max(MAX_STATUS_FILES) }).strict();
export type FileStatusRequest = z.infer<typeof fileStatusRequestSchema>;

/**
 * - `stored`: the central office has the whole file, verified; never send it again.
 * - `partial`: `offset` bytes arrived; the next chunk starts there.
 * - `missing`: nothing arrived yet (`offset` 0).
 * - `unreferenced`: no operation of this station applied at the central office names this file (with this size) yet;
 *   push the operations first and ask again later.
 */
export const FILE_STATES = ['stored', 'partial', 'missing', 'unreferenced'] as const;
export type FileState = (typeof FILE_STATES)[number];

export const fileStatusSchema = z.object({ sha256: sha256HexSchema, state: z.enum(FILE_STATES), offset: z.number().int().min(0) });
export type FileStatus = z.infer<typeof fileStatusSchema>;

export const fileStatusResponseSchema = z.object({ serverTime: z.string(), files: z.array(fileStatusSchema) });
export type FileStatusResponse = z.infer<typeof fileStatusResponseSchema>;

/**
 * `POST /v1/files/<sha256>?offset=<n>&size=<total>&chunk=<sha256 of this chunk>`, body `application/octet-stream`:
 * the bytes of the file from `offset`. The request is signed like every other (the body hash is the chunk's), and the
 * chunk's own hash in the query lets the server tell a chunk damaged on the way (`CHUNK_CORRUPT`, send it again) from
 * a bad signature.
 */
export const chunkQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).max(MAX_FILE_BYTES),
    size: z.coerce.number().int().min(1).max(MAX_FILE_BYTES),
    chunk: sha256HexSchema,
  })
  .strict();
export type ChunkQuery = z.infer<typeof chunkQuerySchema>;

/** After a chunk: how much of the file the server now has; `stored` once the whole file arrived and its hash checked out. */
export const chunkResponseSchema = z.object({
  serverTime: z.string(),
  sha256: sha256HexSchema,
  state: z.enum(['partial', 'stored']),
  offset: z.number().int().min(0),
});
export type ChunkResponse = z.infer<typeof chunkResponseSchema>;

/** The path of a file's upload or download. */
export const filePath = (sha256: string): string => `/v1/files/${sha256}`;

export const chunkUrl = (sha256: string, q: ChunkQuery): string =>
  `${filePath(sha256)}?offset=${q.offset}&size=${q.size}&chunk=${q.chunk}`;

/** Most bytes one download request returns. */
export const MAX_DOWNLOAD_BYTES = MAX_CHUNK_BYTES;

/**
 * `GET /v1/files/<sha256>?offset=<n>&length=<m>`: a part of a file the central office holds and this station's
 * operations reference (a PC repairing a damaged or missing page, a restored PC). Resumable by offset; the device
 * checks the whole file's hash before it keeps it.
 */
export const downloadQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).max(MAX_FILE_BYTES).default(0),
    length: z.coerce.number().int().min(1).max(MAX_DOWNLOAD_BYTES).default(MAX_DOWNLOAD_BYTES),
  })
  .strict();
export type DownloadQuery = z.infer<typeof downloadQuerySchema>;

export const downloadResponseSchema = z.object({
  serverTime: z.string(),
  sha256: sha256HexSchema,
  /** The whole file's size. */
  size: z.number().int().min(1),
  offset: z.number().int().min(0),
  /** The bytes from `offset`, at most `length` of them, in standard base64. */
  dataBase64: z.string(),
});
export type DownloadResponse = z.infer<typeof downloadResponseSchema>;

export const downloadUrl = (sha256: string, q: DownloadQuery): string => `${filePath(sha256)}?offset=${q.offset}&length=${q.length}`;
