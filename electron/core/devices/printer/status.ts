import { DeviceError } from '../errors';
import type { StatusRequest } from './escpos';

// DLE EOT answers (hardware.md §5.1). Every answer has the fixed bits 0x12 set and bits 0, 7 clear,
// which is also how a stray byte is told apart from a real answer.
const FIXED_MASK = 0x93;
const FIXED_BITS = 0x12;
/** n = 1 (printer): bit 3 offline. */
export const PRINTER_OFFLINE = 0x08;
/** n = 2 (offline cause): bit 2 cover open, bit 5 stopped by paper end. */
export const CAUSE_COVER_OPEN = 0x04;
export const CAUSE_PAPER_END = 0x20;
/** n = 4 (paper sensor): bits 2–3 near end, bits 5–6 out. */
export const PAPER_NEAR_END = 0x0c;
export const PAPER_OUT = 0x60;

export type PrinterState = 'online' | 'offline' | 'paper_out';

export interface PrinterStatus {
  state: PrinterState;
  paperNearEnd: boolean;
  /** 'dle_eot' when the printer answered; 'connection' when only the link (socket, path) could be checked. */
  checkedBy: 'dle_eot' | 'connection';
}

/** Sends DLE EOT n and resolves the answer byte, or undefined when nothing (valid) came back. */
export type StatusAsker = (n: StatusRequest) => Promise<number | undefined>;

export function isStatusByte(byte: number): boolean {
  return (byte & FIXED_MASK) === FIXED_BITS;
}

export function statusByte(flags: number): number {
  return FIXED_BITS | flags;
}

/** Paper sensor first (a printer out of paper also reports itself offline), then the offline bit. */
export async function queryStatus(ask: StatusAsker): Promise<PrinterStatus | undefined> {
  const paper = await ask(4);
  if (paper === undefined || !isStatusByte(paper)) return undefined;
  if (paper & PAPER_OUT) return { state: 'paper_out', paperNearEnd: true, checkedBy: 'dle_eot' };
  const printer = await ask(1);
  if (printer === undefined || !isStatusByte(printer)) return undefined;
  return {
    state: printer & PRINTER_OFFLINE ? 'offline' : 'online',
    paperNearEnd: (paper & PAPER_NEAR_END) !== 0,
    checkedBy: 'dle_eot',
  };
}

/** Refuses to send a job the printer cannot print now, so the job stays queued and nothing is printed. */
export function assertReady(status: PrinterStatus, target: string): void {
  if (status.state === 'paper_out') {
    throw new DeviceError('DEVICE_PAPER_OUT', undefined, { detail: { target, maybePrinted: false } });
  }
  if (status.state === 'offline') {
    throw new DeviceError('DEVICE_OFFLINE', `打印机未连接或处于离线状态（${target}）`, {
      detail: { target, maybePrinted: false },
    });
  }
}
