import { EventEmitter } from 'node:events';

import { DeviceError, isDeviceError } from '../errors';
import { silentLogger, type DeviceLogger } from '../logger';
import { withTimeout } from '../timeout';
import type { CardKind, CardRead } from './card-read';
import type { CardReaderDriver, PollResult } from './card-reader-driver';

export interface ReaderStatus {
  state: 'connected' | 'disconnected';
  /** Why the reader is disconnected, when known. */
  reason?: DeviceError;
}

type ServiceEvents = {
  card: [card: CardRead];
  removed: [info: { kind: CardKind }];
  status: [status: ReaderStatus];
  error: [error: DeviceError];
};

export interface CardReaderServiceOptions {
  /** Pause between polls; 300 ms by default. */
  pollIntervalMs?: number;
  /** Pause between attempts to reopen a lost reader; 2000 ms by default. */
  reconnectIntervalMs?: number;
  /** Limit for looking for a card, and again for reading it; 10 s by default. */
  readTimeoutMs?: number;
  /** Read attempts per presented card before waiting for it to be taken out; 3 by default. */
  maxReadAttempts?: number;
  /** Consecutive failed polls after which the reader is treated as gone and reopened; 3 by default. */
  maxPollFailures?: number;
  logger?: DeviceLogger;
}

/**
 * Watches one card reader: emits 'card' once per presented card, 'removed' when it is taken out
 * (readers that can tell), 'status' when the reader comes and goes (it is reopened by itself), and
 * 'error' for failed reads — a garbled, truncated or late answer is an error, never a person.
 * 'error' is emitted only while someone listens, so an unobserved failure cannot crash the process.
 */
export class CardReaderService extends EventEmitter<ServiceEvents> {
  private readonly options: Required<Omit<CardReaderServiceOptions, 'logger'>>;
  private readonly logger: DeviceLogger;
  private running = false;
  private connected = false;
  private cardPresent = false;
  private readAttempts = 0;
  private pollFailures = 0;
  /** The last error reported, per step, so that a repeating failure is reported once. */
  private readonly lastError: { poll?: string; read?: string } = {};
  private currentStatus: ReaderStatus | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly driver: CardReaderDriver,
    options: CardReaderServiceOptions = {},
  ) {
    super();
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 300,
      reconnectIntervalMs: options.reconnectIntervalMs ?? 2000,
      readTimeoutMs: options.readTimeoutMs ?? 10_000,
      maxReadAttempts: options.maxReadAttempts ?? 3,
      maxPollFailures: options.maxPollFailures ?? 3,
    };
    this.logger = options.logger ?? silentLogger;
    driver.onDisconnect(() => this.lost(new DeviceError('DEVICE_OFFLINE', '读卡器已断开')));
  }

  get status(): ReaderStatus {
    return this.currentStatus ?? { state: 'disconnected' };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    if (this.connected) await this.driver.disconnect();
    this.connected = false;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (!this.connected) {
        await this.connect();
        await this.sleep(this.connected ? 0 : this.options.reconnectIntervalMs);
        continue;
      }
      await this.pollOnce();
      await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async connect(): Promise<void> {
    try {
      await this.driver.connect();
      this.connected = true;
      this.pollFailures = 0;
      this.setStatus({ state: 'connected' });
    } catch (error) {
      this.setStatus({ state: 'disconnected', reason: toDeviceError(error) });
    }
  }

  private async pollOnce(): Promise<void> {
    let result: PollResult;
    try {
      result = await this.timed(this.driver.poll());
      this.pollFailures = 0;
      this.lastError.poll = undefined;
    } catch (error) {
      this.report('poll', toDeviceError(error));
      // A reader that is gone, or keeps failing to answer, is closed and then reopened by the loop.
      this.pollFailures++;
      if (isDeviceError(error, 'DEVICE_OFFLINE') || this.pollFailures >= this.options.maxPollFailures) {
        await this.dropConnection(toDeviceError(error));
      }
      return;
    }
    if (!result.present) {
      if (this.cardPresent && this.driver.detectsRemoval) this.emit('removed', { kind: this.driver.kind });
      this.cardPresent = false;
      this.readAttempts = 0;
      this.lastError.read = undefined;
      return;
    }
    // A card is read once per presentation; after repeated failures it has to be presented again.
    if (this.cardPresent || this.readAttempts >= this.options.maxReadAttempts) return;
    this.readAttempts++;
    try {
      const card = await this.timed(result.read());
      this.cardPresent = this.driver.detectsRemoval;
      this.readAttempts = 0;
      this.lastError.read = undefined;
      if (this.running) this.emit('card', card);
    } catch (error) {
      this.report('read', toDeviceError(error));
      if (isDeviceError(error, 'DEVICE_OFFLINE')) await this.dropConnection(error);
    }
  }

  private timed<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, this.options.readTimeoutMs, () => new DeviceError('DEVICE_TIMEOUT', '读卡超时，请重新放卡'));
  }

  /** Emits an error once per kind of failure in a row, and only while someone listens. */
  private report(step: 'poll' | 'read', error: DeviceError): void {
    this.logger.warn({ step, code: error.code, detail: error.detail }, 'card reader: failure');
    if (error.code !== this.lastError[step] && this.listenerCount('error') > 0) this.emit('error', error);
    this.lastError[step] = error.code;
  }

  private async dropConnection(reason: DeviceError): Promise<void> {
    await this.driver.disconnect().catch(() => undefined);
    this.lost(reason);
  }

  private lost(reason: DeviceError): void {
    if (!this.connected) return;
    this.connected = false;
    if (this.cardPresent && this.driver.detectsRemoval) this.emit('removed', { kind: this.driver.kind });
    this.cardPresent = false;
    this.readAttempts = 0;
    this.setStatus({ state: 'disconnected', reason });
    this.wake?.();
  }

  /** Emits on every change of state, and for the first connection attempt. */
  private setStatus(status: ReaderStatus): void {
    if (status.state === this.currentStatus?.state) return;
    this.currentStatus = status;
    this.emit('status', status);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

function toDeviceError(error: unknown): DeviceError {
  return isDeviceError(error) ? error : new DeviceError('DEVICE_CARD_ERROR', undefined, { cause: error });
}
