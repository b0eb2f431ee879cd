import { constants, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';

import type { NtpInterface } from './ntp-transport';

/**
 * A device path (/dev/usb/lp0, \\.\COM3, a shared printer) or a capture file, as a node-thermal-printer
 * interface. Not its own File interface: that one retries a failed write in the background for minutes
 * (write-file-queue: 1000 × 200 ms) after reporting failure, so a job we re-queue could print twice,
 * and it creates a regular file when the device node is missing. We write once, append, never create.
 */
export function fileInterface(path: string): NtpInterface {
  return {
    isPrinterConnected: async () => existsSync(path),
    execute: async (buffer: Buffer) => {
      const handle = await open(path, constants.O_WRONLY | constants.O_APPEND);
      try {
        await handle.write(buffer);
      } finally {
        await handle.close();
      }
      return 'Print done';
    },
  };
}
