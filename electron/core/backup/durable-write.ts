import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Writes a file beside its target, flushes it, then renames it into place: a power cut leaves either the old file
 * (or none) or the whole new one under the real name, never half of it.
 */
export function writeFileDurably(path: string, parts: readonly Buffer[], mode = 0o600): void {
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w', mode);
  try {
    for (const part of parts) writeSync(fd, part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Makes renames into a folder durable on POSIX; Windows cannot open a folder and records the rename with the file. */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
