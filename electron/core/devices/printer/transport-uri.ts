import { DeviceError } from '../errors';
import type { DeviceLogger } from '../logger';
import type { SerialBinding } from '../serial/binding-types';
import { SerialLink } from '../serial/serial-link';
import { fileInterface } from './file-interface';
import { askThroughNtp, NtpPrinterTransport } from './ntp-transport';
import { SerialPrinterInterface } from './serial-printer';
import type { PrinterTransport } from './transport';
import { VirtualPrinter, type VirtualPrinterOptions } from './virtual-printer';

export type PrinterAddress =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'file'; path: string }
  | { kind: 'virtual'; name: string };

// Same shape node-thermal-printer accepts, so what we validate is what it connects to.
const tcpPattern = /^tcp:\/\/([^/:]+)(?::(\d+))?\/?$/i;
/** Serial speeds accepted in a device address (printers and card readers alike). */
export const SERIAL_BAUD_RATES: ReadonlySet<number> = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]);

function configError(uri: string, why: string): DeviceError {
  return new DeviceError('DEVICE_CONFIG', `打印机地址“${uri}”无效：${why}`, { detail: { uri } });
}

/**
 * tcp://192.168.1.50:9100 (port 9100 by default) · serial:COM3?baud=9600 (9600 by default) ·
 * a device or file path (/dev/usb/lp0, \\.\USB001, C:\…, file:///…) · virtual or virtual:NAME.
 */
export function parsePrinterUri(uri: string): PrinterAddress {
  const trimmed = uri.trim();
  const tcp = tcpPattern.exec(trimmed);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) throw configError(uri, '端口应在 1–65535 之间');
    return { kind: 'tcp', host: tcp[1] ?? '', port };
  }
  if (/^serial:/i.test(trimmed)) {
    const [path = '', query = ''] = trimmed.slice('serial:'.length).split('?', 2);
    if (path === '') throw configError(uri, '缺少串口名，例如 serial:COM3?baud=9600');
    const baud = new URLSearchParams(query).get('baud');
    const baudRate = baud === null ? 9600 : Number(baud);
    if (!SERIAL_BAUD_RATES.has(baudRate)) throw configError(uri, `不支持的波特率 ${baud ?? ''}`);
    return { kind: 'serial', path, baudRate };
  }
  if (/^virtual(:|$)/i.test(trimmed)) {
    return { kind: 'virtual', name: trimmed.slice('virtual:'.length) || 'printer' };
  }
  if (/^file:\/\//i.test(trimmed)) return { kind: 'file', path: decodeURIComponent(new URL(trimmed).pathname) };
  if (/^(\/|[a-z]:[\\/]|\\\\)/i.test(trimmed)) return { kind: 'file', path: trimmed };
  if (/^printer:/i.test(trimmed)) throw configError(uri, '系统打印队列需要原生驱动，请改用 tcp://、serial: 或设备路径');
  throw configError(uri, '应为 tcp://主机:端口、serial:串口?baud=波特率、设备路径或 virtual');
}

export interface PrinterTransportOptions {
  /** Limit for a write or a connection check; 3000 ms by default. */
  timeoutMs?: number;
  /** Limit for one DLE EOT answer; 800 ms by default. */
  statusTimeoutMs?: number;
  logger?: DeviceLogger;
  /** Serial binding for tests and simulators; the operating system's ports by default. */
  serialBinding?: SerialBinding;
  /** Virtual printers by name, so the demo and the tests can see the jobs; created on first use. */
  virtualPrinters?: Map<string, VirtualPrinter>;
  /** How a virtual printer is created on first use (paper width, jobs kept). */
  virtualOptions?: Omit<VirtualPrinterOptions, 'name'>;
}

export function createPrinterTransport(uri: string, options: PrinterTransportOptions = {}): PrinterTransport {
  const address = parsePrinterUri(uri);
  const timeoutMs = options.timeoutMs ?? 3000;
  const statusTimeoutMs = options.statusTimeoutMs ?? 800;
  switch (address.kind) {
    case 'tcp': {
      const iface = `tcp://${address.host}:${address.port}`;
      return new NtpPrinterTransport({ target: uri, iface, timeoutMs, ask: askThroughNtp(iface, statusTimeoutMs) });
    }
    case 'serial': {
      const link = new SerialLink({ ...address, binding: options.serialBinding, logger: options.logger });
      const iface = new SerialPrinterInterface(link, statusTimeoutMs);
      return new NtpPrinterTransport({ target: uri, iface, timeoutMs, ask: iface.ask, close: () => iface.close() });
    }
    case 'file':
      return new NtpPrinterTransport({ target: uri, iface: fileInterface(address.path), timeoutMs });
    case 'virtual': {
      const printers = options.virtualPrinters ?? new Map<string, VirtualPrinter>();
      const existing = printers.get(address.name);
      if (existing) return existing;
      const printer = new VirtualPrinter({ ...options.virtualOptions, name: address.name });
      printers.set(address.name, printer);
      return printer;
    }
  }
}
