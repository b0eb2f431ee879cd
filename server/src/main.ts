import { runAdminCommand } from './admin/cli';
import { buildServer } from './app';
import { readConfig } from './config';
import { openStore } from './db/store';
import { diskBlobStore } from './files/blob-store';
import { createLogger } from './logger';

/**
 * `npm run central`: serves the sync gateway until SIGTERM or SIGINT, then stops taking requests, lets the batches
 * in flight commit and closes the database. With arguments it runs one administrator command instead.
 */
const config = readConfig(process.env);
const args = process.argv.slice(2);
const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });

if (args.length > 0) {
  try {
    process.stdout.write(await runAdminCommand(store, args, () => new Date()));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
} else {
  const logger = createLogger(config.logLevel);
  const app = await buildServer({
    store,
    blobs: diskBlobStore(config.blobDir),
    logger,
    bodyLimit: config.bodyLimit,
    abandonedUploadMs: config.abandonedUploadMs,
  });
  await app.listen({ host: config.host, port: config.port });
  logger.info(
    { backend: store.backend, ...(store.backend === 'sqlite' ? { dataDir: config.dataDir } : {}), blobDir: config.blobDir },
    'central sync gateway ready',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    await app.close();
    await store.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
}
