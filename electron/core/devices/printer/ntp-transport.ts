import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';

import { DeviceError, isDeviceError } from '../errors';
import { withTimeout } from '../timeout';
import { statusRequest } from './escpos';
import { assertReady, queryStatus, type PrinterStatus, type StatusAsker } from './status';
import type { PrinterTransport } from './transport';

/**
 * node-thermal-printer accepts an object with these methods as `interface` at runtime, although its
 * .d.ts types `interface` as a string (hardware.md §5.2, bug 6).
 */
export interface NtpInterface {
  isPrinterConnected(): Promise<boolean>;
  execute(buffer: Buffer, options?: { waitForResponse?: boolean }): Promise<unknown>;
}

export interface NtpTransportConfig {
  target: string;
  /** A URI node-thermal-printer resolves itself (tcp://…), or one of our interface objects. */
  iface: string | NtpInterface;
  /** Whole-operation limit for a write or a connection check. */
  timeoutMs: number;
  /** How to ask DLE EOT on this link; absent when the link cannot answer (a file path). */
  ask?: StatusAsker;
  close?: () => Promise<void>;
}

/**
 * node-thermal-printer as a byte carrier only: our ESC/POS bytes go in through `add(Buffer)`, never
 * through its text, size or QR helpers (which mis-encode Chinese, see hardware.md §5.2).
 */
export class NtpPrinterTransport implements PrinterTransport {
  constructor(private readonly config: NtpTransportConfig) {}

  get target(): string {
    return this.config.target;
  }

  async status(): Promise<PrinterStatus> {
    const { iface, timeoutMs } = this.config;
    const connected = await withTimeout(ntpPrinter(iface, timeoutMs).isPrinterConnected(), timeoutMs, () =>
      timeoutError(this.target),
    ).catch(() => false);
    if (!connected) return { state: 'offline', paperNearEnd: false, checkedBy: 'connection' };
    const answered = this.config.ask ? await queryStatus(this.config.ask) : undefined;
    // Some printers do not answer DLE EOT on every link: then all we know is that the link is up.
    return answered ?? { state: 'online', paperNearEnd: false, checkedBy: 'connection' };
  }

  async write(bytes: Uint8Array): Promise<void> {
    assertReady(await this.status(), this.target);
    try {
      await sendRaw(this.config.iface, bytes, { timeoutMs: this.config.timeoutMs, target: this.target });
    } catch (cause) {
      const code = isDeviceError(cause, 'DEVICE_TIMEOUT') ? 'DEVICE_TIMEOUT' : 'DEVICE_OFFLINE';
      throw new DeviceError(code, `打印数据发送失败（${this.target}）`, {
        cause,
        detail: { target: this.target, maybePrinted: !neverConnected(cause) },
      });
    }
  }

  async close(): Promise<void> {
    await this.config.close?.();
  }
}

/** Errors raised before a single byte can have left the host. */
function neverConnected(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT', 'ENOTFOUND'].includes(code);
}

function ntpPrinter(iface: string | NtpInterface, timeoutMs: number): ThermalPrinter {
  return new ThermalPrinter({ type: PrinterTypes.EPSON, interface: iface as string, options: { timeout: timeoutMs } });
}

function timeoutError(target: string): DeviceError {
  return new DeviceError('DEVICE_TIMEOUT', `打印机响应超时（${target}）`, { detail: { target } });
}

/** Raw bytes through node-thermal-printer; with `waitForResponse`, resolves the first chunk answered. */
function sendRaw(
  iface: string | NtpInterface,
  bytes: Uint8Array,
  options: { timeoutMs: number; target: string; waitForResponse?: boolean },
): Promise<unknown> {
  const printer = ntpPrinter(iface, options.timeoutMs);
  printer.add(Buffer.from(bytes));
  // Its tcp interface never settles when the peer closes without answering, hence our own limit.
  return withTimeout(printer.execute({ waitForResponse: options.waitForResponse ?? false }), options.timeoutMs, () =>
    timeoutError(options.target),
  );
}

/** DLE EOT over the connection node-thermal-printer opens per request (tcp://). */
export function askThroughNtp(uri: string, timeoutMs: number): StatusAsker {
  return async (n) => {
    try {
      const answer = await sendRaw(uri, statusRequest(n), { timeoutMs, target: uri, waitForResponse: true });
      return answer instanceof Uint8Array && answer.length > 0 ? answer[0] : undefined;
    } catch {
      return undefined;
    }
  };
}
