import type { PrinterStatus } from './status';

/**
 * Where print jobs go. A `write` that rejects with `detail.maybePrinted === false` sent nothing (the
 * job can be retried as is); with `maybePrinted === true` the bytes may have reached the printer, so a
 * retry must be a deliberate reprint (补打).
 */
export interface PrinterTransport {
  /** The configured address, for logs and the settings page. */
  readonly target: string;
  write(bytes: Uint8Array): Promise<void>;
  status(): Promise<PrinterStatus>;
  close(): Promise<void>;
}
