import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { dayCloseRequestSchema, enrolRequestSchema, pullQuerySchema, pushRequestSchema } from '#shared/sync/protocol';
import { enrolDevice } from './admin/enrol';
import { deviceAuthenticator, purgeNonces } from './auth/device-auth';
import { closeDay } from './dayclose/day-close';
import type { Store } from './db/store';
import type { BlobStore } from './files/blob-store';
import { purgeAbandonedUploads } from './files/files';
import { fileRoutes } from './files/routes';
import { parseJsonBody, SyncError, validated } from './http/errors';
import { Metrics } from './metrics';
import { pullChanges } from './pull/pull';
import { applyPush } from './push/apply';
import { reviewSite } from './review/routes';

export interface ServerDeps {
  store: Store;
  /** Where the bytes of synced files (material pages) are kept. */
  blobs: BlobStore;
  logger: FastifyBaseLogger;
  now?: () => Date;
  newId?: () => string;
  /** Largest request body in bytes (413 BODY_TOO_LARGE beyond). */
  bodyLimit?: number;
  metrics?: Metrics;
  /** An unfinished file upload with no progress for this long is removed (default 7 days). */
  abandonedUploadMs?: number;
}

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;
export const DEFAULT_ABANDONED_UPLOAD_MS = 7 * 24 * 3600_000;
const NONCE_PURGE_MS = 60_000;
const UPLOAD_PURGE_MS = 3600_000;

/**
 * The central sync gateway as a Fastify instance: enrolment, signed push, pull and day close, file sync, the review
 * page, health and metrics.
 * It keeps nothing between requests but counters, so any number of instances can share one database.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { store, blobs } = deps;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? uuidv7;
  const metrics = deps.metrics ?? new Metrics();
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // Shutdown answers with the protocol's own 503 (below) and closes idle keep-alive connections.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });

  // Bodies stay bytes until the signature over them is checked; only then are they parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const mapped =
      err instanceof SyncError
        ? err
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? new SyncError('BODY_TOO_LARGE')
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? new SyncError('UNSUPPORTED_MEDIA_TYPE')
            : err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500
              ? new SyncError('INVALID_REQUEST')
              : null;
    if (!mapped) {
      req.log.error({ err }, 'request failed');
      return reply.code(500).send(new SyncError('INTERNAL').toBody());
    }
    req.log.warn({ code: mapped.code, url: req.url }, 'request refused');
    return reply.code(mapped.status).send(mapped.toBody());
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(new SyncError('NOT_FOUND').toBody()));

  // From the start of a shutdown, new requests (on connections kept alive) get 503 so the load balancer moves on;
  // requests in flight still get their answer, with the connection closed after it so clients do not hold it open.
  // Added before any plugin is registered: plugins take the hooks their parent has at that moment.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new SyncError('NOT_READY');
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  const authenticate = deviceAuthenticator(store, now);
  const signed = (req: FastifyRequest, bodySha256Hex?: string) =>
    authenticate({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      ...(bodySha256Hex !== undefined ? { bodySha256Hex } : {}),
    });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await store.reader.selectFrom('station').select('code').limit(1).execute();
      return { status: 'ready', backend: store.backend };
    } catch {
      return reply.code(503).send(new SyncError('NOT_READY').toBody());
    }
  });
  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4').send(metrics.render()));

  app.post('/v1/enrol', async (req, reply) => {
    const body = validated(enrolRequestSchema, parseJsonBody(req.body));
    const answer = await enrolDevice(store, body, now(), newId);
    req.log.info({ deviceId: answer.deviceId, station: answer.station.code }, 'device enrolled');
    return reply.code(201).send(answer);
  });

  app.post('/v1/sync/push', async (req) => {
    const started = performance.now();
    try {
      const auth = await signed(req);
      const body = validated(pushRequestSchema, parseJsonBody(req.body));
      const answer = await applyPush({ store, now, newId, metrics }, auth, body);
      metrics.batchesAccepted += 1;
      metrics.observePush(performance.now() - started);
      return answer;
    } catch (err) {
      if (err instanceof SyncError) metrics.batchRefused(err.code);
      throw err;
    }
  });

  app.get('/v1/sync/pull', async (req) => {
    const auth = await signed(req);
    return pullChanges(store, auth, validated(pullQuerySchema, req.query), now);
  });

  app.post('/v1/sync/day-close', async (req) => {
    const auth = await signed(req);
    return closeDay(store, auth, validated(dayCloseRequestSchema, parseJsonBody(req.body)), now, newId);
  });

  await app.register(fileRoutes({ store, blobs, now, metrics, authenticate: signed }));

  // The back office's review page: HTML forms, with its own body parser, error pages and headers.
  await app.register(reviewSite({ store, blobs, now, newId }), { prefix: '/review' });

  /** Housekeeping on a timer that never keeps the process alive, stopped when the app closes. */
  const every = (ms: number, what: string, task: () => Promise<unknown>) => {
    const timer = setInterval(() => void task().catch((err: unknown) => app.log.warn({ err }, `${what} failed`)), ms);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  };
  every(NONCE_PURGE_MS, 'nonce purge', () => purgeNonces(store.db, now().getTime()));
  const abandonedUploadMs = deps.abandonedUploadMs ?? DEFAULT_ABANDONED_UPLOAD_MS;
  every(UPLOAD_PURGE_MS, 'abandoned upload purge', () => purgeAbandonedUploads({ store, blobs, now, metrics }, app.log, abandonedUploadMs));

  await app.ready();
  return app;
}
