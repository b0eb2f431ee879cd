import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ABANDONED_UPLOAD_MS, DEFAULT_BODY_LIMIT } from './app';

export interface CentralConfig {
  host: string;
  port: number;
  /** PostgreSQL when set; otherwise SQLite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where synced files are kept, whichever database is used. */
  blobDir: string;
  /** How long an unfinished file upload may go without progress before it is removed. */
  abandonedUploadMs: number;
  bodyLimit: number;
  logLevel: string;
  poolSize: number;
}

const positiveInt = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} 须为正整数，而不是“${text}”`);
  return n;
};

const DAY_MS = 24 * 3600_000;

/**
 * Reads the environment: PORT, HOST, DATABASE_URL, DATA_DIR, BLOB_DIR, ABANDONED_UPLOAD_DAYS, BODY_LIMIT, LOG_LEVEL,
 * PG_POOL_SIZE.
 */
export function readConfig(env: NodeJS.ProcessEnv): CentralConfig {
  const dataDir = resolve(env.DATA_DIR || join(homedir(), '.local', 'share', 'yichuang-central'));
  return {
    host: env.HOST || '127.0.0.1',
    port: env.PORT === '0' ? 0 : positiveInt('PORT', env.PORT, 5190),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    blobDir: resolve(env.BLOB_DIR || join(dataDir, 'blobs')),
    abandonedUploadMs: positiveInt('ABANDONED_UPLOAD_DAYS', env.ABANDONED_UPLOAD_DAYS, DEFAULT_ABANDONED_UPLOAD_MS / DAY_MS) * DAY_MS,
    bodyLimit: positiveInt('BODY_LIMIT', env.BODY_LIMIT, DEFAULT_BODY_LIMIT),
    logLevel: env.LOG_LEVEL || 'info',
    poolSize: positiveInt('PG_POOL_SIZE', env.PG_POOL_SIZE, 10),
  };
}
