import { SerialPortMock } from 'serialport';

import { delay } from '../timeout';
import type { MockSerialBinding, MockSerialPort, SerialBinding, SerialBindingPort, SerialOpenOptions } from './binding-types';

const mockBinding: MockSerialBinding = SerialPortMock.binding;

export interface Delivery {
  /** Bytes per piece sent to the host; Infinity sends each answer whole. */
  chunkSize: number;
  /** Pause between pieces. */
  chunkDelayMs: number;
  /** Pause before the first piece of each answer (a slow device). */
  latencyMs: number;
}

/**
 * The far end of a serial cable, on top of serialport's MockBinding: it sees what the host writes,
 * answers in fragments, and can be unplugged and plugged back in. Pass `binding` to a SerialLink.
 */
export class SimulatedSerialPort {
  readonly binding: SerialBinding;
  delivery: Delivery = { chunkSize: Infinity, chunkDelayMs: 0, latencyMs: 0 };
  private connected: SimulatedPortBinding | undefined;
  private plugged = true;
  private outgoing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly onHostBytes: (bytes: Uint8Array) => void,
  ) {
    mockBinding.createPort(path);
    this.binding = {
      list: async () => (this.plugged ? [{ path: this.path }] : []),
      open: (options: SerialOpenOptions) => this.open(options),
    };
  }

  /** Device → host, cut into pieces according to `delivery`; dropped when the host is not listening. */
  send(bytes: Uint8Array): Promise<void> {
    const copy = Uint8Array.from(bytes);
    const { chunkSize, chunkDelayMs, latencyMs } = this.delivery;
    this.outgoing = this.outgoing.then(async () => {
      if (latencyMs > 0) await delay(latencyMs);
      for (let offset = 0; offset < copy.length; offset += chunkSize) {
        if (offset > 0 && chunkDelayMs > 0) await delay(chunkDelayMs);
        this.connected?.deliver(copy.subarray(offset, Math.min(copy.length, offset + chunkSize)));
      }
    });
    return this.outgoing;
  }

  /** Pulls the cable: the host's pending read fails as on a real disconnect, and the port cannot be opened. */
  unplug(): void {
    this.plugged = false;
    this.connected?.disconnect();
    this.connected = undefined;
  }

  replug(): void {
    this.plugged = true;
  }

  private async open(options: SerialOpenOptions): Promise<SerialBindingPort> {
    if (!this.plugged || options.path !== this.path) {
      throw new Error(`No such file or directory, cannot open ${options.path}`);
    }
    const inner = await mockBinding.open(options);
    const port = new SimulatedPortBinding(inner, (bytes) => setImmediate(() => this.onHostBytes(bytes)));
    this.connected = port;
    return port;
  }
}

class SimulatedPortBinding implements SerialBindingPort {
  private failRead: ((error: Error) => void) | undefined;
  private unplugged = false;

  constructor(
    private readonly inner: MockSerialPort,
    private readonly onWrite: (bytes: Uint8Array) => void,
  ) {}

  get openOptions(): SerialOpenOptions {
    return this.inner.openOptions;
  }

  /** Stays true after an unplug until the host closes, so that serialport runs its disconnect path. */
  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  deliver(bytes: Uint8Array): void {
    if (this.isOpen && !this.unplugged) this.inner.emitData(Buffer.from(bytes));
  }

  /** An error without `canceled` makes serialport treat the port as disconnected. */
  disconnect(): void {
    this.unplugged = true;
    this.failRead?.(new Error('device disconnected'));
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.unplugged) return Promise.reject(new Error('device disconnected'));
    return new Promise((resolve, reject) => {
      this.failRead = reject;
      this.inner.read(buffer, offset, length).then(resolve, reject);
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.unplugged) throw new Error('device disconnected');
    await this.inner.write(buffer);
    this.onWrite(Uint8Array.from(buffer));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  update(options: { baudRate: number }): Promise<void> {
    return this.inner.update(options);
  }

  set(options: object): Promise<void> {
    return this.inner.set(options);
  }

  get(): Promise<{ cts: boolean; dsr: boolean; dcd: boolean }> {
    return this.inner.get();
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  drain(): Promise<void> {
    return this.inner.drain();
  }
}
