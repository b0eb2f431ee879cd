import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The device's private key, in a file of its own beside the store rather than in it: backups of the store do not
 * carry it, and the file is readable by the app's user only (mode 0600). A restored store without its key file must
 * be enrolled again, which is what should happen to a copied store.
 */
export const DEVICE_KEY_FILE = 'device-key.pem';

export function deviceKeyPath(dataDir: string): string {
  return join(dataDir, DEVICE_KEY_FILE);
}

/** Writes the key durably: a temporary file created with mode 0600, flushed, then renamed over the old one. */
export function writeDeviceKey(dataDir: string, privateKeyPem: string): void {
  const path = deviceKeyPath(dataDir);
  const temp = `${path}.tmp`;
  rmSync(temp, { force: true });
  // 'wx' with the mode at creation: the key is never readable by others, not even for a moment.
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, privateKeyPem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export function readDeviceKey(dataDir: string): string | null {
  try {
    return readFileSync(deviceKeyPath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function removeDeviceKey(dataDir: string): void {
  rmSync(deviceKeyPath(dataDir), { force: true });
}
