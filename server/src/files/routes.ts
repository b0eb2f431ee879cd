import type { FastifyInstance, FastifyRequest } from 'fastify';
import { chunkQuerySchema, downloadQuerySchema, fileStatusRequestSchema, MAX_CHUNK_BYTES, sha256HexSchema } from '#shared/sync/files';
import type { AuthenticatedDevice } from '../auth/device-auth';
import { sha256Hex } from '../crypto';
import { parseJsonBody, SyncError, validated } from '../http/errors';
import { downloadFile, fileStatus, receiveChunk, type FileDeps } from './files';

/** A chunk's body may be MAX_CHUNK_BYTES; beyond that and this slack Fastify refuses it before reading it all. */
const CHUNK_BODY_LIMIT = MAX_CHUNK_BYTES + 64 * 1024;

export interface FileRouteDeps extends FileDeps {
  /** Checks the request's signature, over `bodySha256Hex` instead of the body's own hash when given. */
  authenticate(req: FastifyRequest, bodySha256Hex?: string): Promise<AuthenticatedDevice>;
}

/** The file sync endpoints under /v1/files/ (docs/sync-protocol.md, "File sync"), signed like the rest of /v1/. */
export function fileRoutes(deps: FileRouteDeps) {
  const { authenticate, metrics } = deps;

  return async function files(app: FastifyInstance): Promise<void> {
    app.post('/v1/files/status', async (req) => {
      const auth = await authenticate(req);
      return fileStatus(deps, req.log, auth, validated(fileStatusRequestSchema, parseJsonBody(req.body)));
    });

    app.get<{ Params: { sha256: string } }>('/v1/files/:sha256', async (req) => {
      const auth = await authenticate(req);
      const sha256 = validated(sha256HexSchema, req.params.sha256);
      return downloadFile(deps, req.log, auth, sha256, validated(downloadQuerySchema, req.query));
    });

    // Chunks are raw bytes: only this route takes application/octet-stream, and it takes nothing else.
    await app.register(async (chunks) => {
      chunks.removeAllContentTypeParsers();
      chunks.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_BODY_LIMIT }, (_req, body, done) =>
        done(null, body),
      );
      chunks.post<{ Params: { sha256: string } }>('/v1/files/:sha256', async (req) => {
        try {
          const sha256 = validated(sha256HexSchema, req.params.sha256);
          // Checked before the signature: the signature covers the chunk hash the query declares.
          const query = validated(chunkQuerySchema, req.query);
          const auth = await authenticate(req, query.chunk);
          const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          if (bytes.length === 0) throw new SyncError('INVALID_REQUEST', {}, '文件分块不能为空');
          if (bytes.length > MAX_CHUNK_BYTES) throw new SyncError('BODY_TOO_LARGE', {}, `文件分块不能超过${MAX_CHUNK_BYTES}字节`);
          // Signed as declared, arrived otherwise: damaged on the way. Nothing is written; the device sends it again.
          if (sha256Hex(bytes) !== query.chunk) throw new SyncError('CHUNK_CORRUPT');
          metrics.fileBytesReceived += bytes.length;
          return await receiveChunk(deps, req.log, auth, sha256, query, bytes);
        } catch (err) {
          if (err instanceof SyncError) metrics.chunkRefused(err.code);
          throw err;
        }
      });
    });
  };
}
