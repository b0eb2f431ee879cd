import { EventEmitter } from 'node:events';

import { SerialPortStream } from '@serialport/stream';

import { DeviceError } from '../errors';
import { silentLogger, type DeviceLogger } from '../logger';
import type { SerialBinding } from './binding-types';
import type { FrameDecoder } from './frame-decoder';

export interface SerialLinkOptions {
  /** COM3, /dev/ttyUSB0… */
  path: string;
  baudRate: number;
  /** The serialport binding; the operating system's ports when absent. Simulators pass their own. */
  binding?: SerialBinding;
  logger?: DeviceLogger;
  /** After a failed exchange, input is discarded until the line has been quiet this long (ms). */
  quietMs?: number;
}

type LinkEvents = {
  /** The port went away without `close()` being called (USB adapter unplugged, device powered off). */
  disconnect: [reason: Error | null];
};

/**
 * One serial port with request/answer exchanges. Exchanges run one at a time, and an answer is taken
 * only from bytes received after its request. After a failure the line is drained until it has been
 * quiet for `quietMs`, so that a late answer to the failed request is not taken for the answer to the
 * next one. (The framings carry no sequence numbers; the content checks above this layer are the
 * second line of defence.)
 */
export class SerialLink extends EventEmitter<LinkEvents> {
  private port: SerialPortStream | undefined;
  private sink: ((chunk: Uint8Array) => void) | undefined;
  private lost: ((error: DeviceError) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closing = false;
  private readonly logger: DeviceLogger;

  constructor(private readonly options: SerialLinkOptions) {
    super();
    this.logger = options.logger ?? silentLogger;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.port) return;
    const { path, baudRate } = this.options;
    // Loaded on first use so that code paths on simulators never load the native module.
    const binding = this.options.binding ?? (await import('serialport')).SerialPort.binding;
    const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (cause) {
      throw new DeviceError('DEVICE_OFFLINE', `无法打开串口 ${path}，请检查设备连接`, { cause, detail: { path } });
    }
    this.closing = false;
    port.on('data', (chunk: Buffer) => {
      if (this.sink) this.sink(chunk);
      else this.logger.debug({ path, bytes: chunk.length }, 'serial: unsolicited bytes dropped');
    });
    port.on('error', (error: Error) => this.logger.warn({ path, err: error }, 'serial: port error'));
    port.once('close', (reason: Error | null) => {
      if (this.port === port) this.port = undefined;
      this.lost?.(this.offline());
      if (!this.closing) {
        this.logger.warn({ path, err: reason }, 'serial: port lost');
        this.emit('disconnect', reason);
      }
    });
    this.port = port;
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.closing = true;
    this.port = undefined;
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Sends bytes and waits until they have left the host. */
  write(bytes: Uint8Array): Promise<void> {
    return this.serialized(async () => {
      const port = this.requirePort();
      await new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(bytes), (err) => (err ? reject(this.offline(err)) : resolve()));
      });
      await new Promise<void>((resolve, reject) => port.drain((err) => (err ? reject(this.offline(err)) : resolve())));
    });
  }

  /**
   * Sends `request` and resolves the first frame `decoder` finds in what comes back. Silence rejects
   * with DEVICE_TIMEOUT; a corrupt frame, or bytes that never form a frame, with DEVICE_BAD_FRAME.
   */
  exchange<F>(request: Uint8Array, decoder: FrameDecoder<F>, timeoutMs: number): Promise<F> {
    return this.serialized(() => this.exchangeNow(request, decoder, timeoutMs));
  }

  private async exchangeNow<F>(request: Uint8Array, decoder: FrameDecoder<F>, timeoutMs: number): Promise<F> {
    const port = this.requirePort();
    const { path } = this.options;
    decoder.reset();
    let received = 0;
    try {
      return await new Promise<F>((resolve, reject) => {
        const fail = (error: DeviceError) => {
          clearTimeout(timer);
          reject(error);
        };
        const timer = setTimeout(() => {
          if (received === 0) fail(new DeviceError('DEVICE_TIMEOUT', `设备无响应（${path}）`, { detail: { path } }));
          else fail(new DeviceError('DEVICE_BAD_FRAME', undefined, { detail: { path, received, pending: decoder.pending } }));
        }, timeoutMs);
        this.lost = fail;
        this.sink = (chunk) => {
          received += chunk.length;
          const [first] = decoder.push(chunk);
          if (!first) return;
          if (first.type === 'frame') {
            clearTimeout(timer);
            resolve(first.frame);
          } else {
            fail(new DeviceError('DEVICE_BAD_FRAME', undefined, { detail: { path, reason: first.reason } }));
          }
        };
        port.write(Buffer.from(request), (err) => {
          if (err) fail(this.offline(err));
        });
      });
    } catch (error) {
      if (this.port) await this.discardUntilQuiet();
      throw error;
    } finally {
      this.sink = undefined;
      this.lost = undefined;
    }
  }

  private discardUntilQuiet(): Promise<void> {
    const quietMs = this.options.quietMs ?? 100;
    return new Promise<void>((resolve) => {
      let timer = setTimeout(done, quietMs);
      // A device that never stops talking must not block the link forever.
      const cap = setTimeout(done, quietMs * 10);
      this.sink = () => {
        clearTimeout(timer);
        timer = setTimeout(done, quietMs);
      };
      function done() {
        clearTimeout(timer);
        clearTimeout(cap);
        resolve();
      }
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requirePort(): SerialPortStream {
    if (!this.port?.isOpen) throw this.offline();
    return this.port;
  }

  private offline(cause?: unknown): DeviceError {
    return new DeviceError('DEVICE_OFFLINE', `串口设备未连接（${this.options.path}）`, {
      cause,
      detail: { path: this.options.path },
    });
  }
}
