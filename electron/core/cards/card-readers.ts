import { EventEmitter } from 'node:events';
import { CARD_KIND_LABELS, type ReaderView } from '#shared/api/devices';
import { ApiError } from '#shared/api/errors';
import type { Logger } from '#shared/log/logger';
import {
  CardReaderService,
  createSamReaderDriver,
  createSerialSsReaderDriver,
  demoPeople,
  DeviceError,
  SERIAL_BAUD_RATES,
  SimulatedSamReader,
  SimulatedSocialSecurityCard,
  SimulatedSsReader,
  toDeviceLogger,
  type CardKind,
  type CardRead,
  type CardReaderDriver,
} from '../devices/index';

export type ReaderSetting = { kind: 'none' } | { kind: 'simulated' } | { kind: 'serial'; path: string; baudRate?: number };

/** 'simulated', 'none' or 'serial:COM5?baud=9600' (the reader's usual speed when no baud is given). */
export function parseReaderSetting(text: string): ReaderSetting {
  const trimmed = text.trim();
  if (trimmed === 'none') return { kind: 'none' };
  if (trimmed === 'simulated') return { kind: 'simulated' };
  const serial = /^serial:([^?\s]+)(?:\?baud=(\d+))?$/.exec(trimmed);
  if (serial && (serial[2] === undefined || SERIAL_BAUD_RATES.has(Number(serial[2])))) {
    return { kind: 'serial', path: serial[1]!, ...(serial[2] && { baudRate: Number(serial[2]) }) };
  }
  throw new DeviceError('DEVICE_CONFIG', `读卡器设置“${text}”无效：应为 simulated、none 或 serial:串口?baud=波特率（1200–115200）`);
}

export interface ReaderTiming {
  pollIntervalMs?: number;
  reconnectIntervalMs?: number;
  /** Limit for a whole read; it must leave room for several answers. */
  readTimeoutMs?: number;
  /** Limit for one answer of the reader (the drivers' own defaults otherwise). */
  answerTimeoutMs?: number;
}

export type SimulatedAction =
  { action: 'insert'; reader: CardKind; idNumber: string } | { action: 'remove' | 'garble' | 'unplug' | 'replug'; reader: CardKind };

interface Slot {
  kind: CardKind;
  setting: string;
  service?: CardReaderService;
  simulator?: SimulatedSsReader | SimulatedSamReader;
  /** A card the reader still holds (readers that notice removal): F1 announces it again. */
  present?: CardRead;
  /** A simulated card is in the slot, read or not. */
  inserted: boolean;
  /** Why a configured reader could not be set up. */
  problem?: string;
}

type Events = {
  card: [card: CardRead];
  removed: [kind: CardKind];
  /** Not 'error': an EventEmitter throws an 'error' nobody listens to. */
  failure: [kind: CardKind, error: DeviceError];
  status: [];
};

/** Simulated serial ports share serialport's mock registry, so each gets a path of its own. */
let simulatedPorts = 0;

/**
 * The counter's card readers, one service per kind (social security card, resident ID card): simulated
 * readers in demo mode, serial readers by settings. Cards, removals, failures and connection changes
 * come out as events; nothing here knows about persons.
 */
export class CardReaders extends EventEmitter<Events> {
  private slots: Slot[] = [];

  constructor(private readonly options: { logger: Logger; timing?: ReaderTiming }) {
    super();
  }

  /** Sets the readers up (at start) or replaces those whose setting changed; the others keep their card. */
  async configure(settings: { socialSecurity: string; idCard: string }): Promise<void> {
    const wanted: [CardKind, string][] = [
      ['social_security', settings.socialSecurity],
      ['resident_id', settings.idCard],
    ];
    const slots: Slot[] = [];
    for (const [kind, setting] of wanted) {
      const current = this.slots.find((s) => s.kind === kind);
      if (current?.setting === setting) {
        slots.push(current);
        continue;
      }
      await current?.service?.stop();
      const slot = this.open(kind, setting);
      slot.service?.start();
      slots.push(slot);
    }
    const changed = slots.some((slot, i) => slot !== this.slots[i]);
    this.slots = slots;
    if (changed) this.emit('status');
  }

  async stop(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((slot) => slot.service?.stop()));
  }

  overview(): ReaderView[] {
    return this.slots.map((slot) => {
      const label = CARD_KIND_LABELS[slot.kind];
      const simulated = slot.simulator !== undefined;
      const base = { kind: slot.kind, setting: slot.setting, simulated };
      if (!slot.service) return { ...base, name: `${label}读卡器`, state: 'none', detail: slot.problem ?? '未配置' };
      const status = slot.service.status;
      const name = simulated ? `模拟读卡器（${label}）` : `${label}读卡器 ${slot.setting.replace(/^serial:/, '')}`;
      const detail =
        status.state === 'connected'
          ? simulated
            ? `演示模式：可在工作台插入演示${label}`
            : '已连接'
          : (status.reason?.message ?? '正在连接…');
      return { ...base, name, state: status.state, detail };
    });
  }

  /** F1: announces the card still in a reader, or waits up to `timeoutMs` for the next one read. */
  readNow(timeoutMs: number): Promise<boolean> {
    const present = this.slots.find((s) => s.present)?.present;
    if (present) {
      this.emit('card', present);
      return Promise.resolve(true);
    }
    return this.nextCard(timeoutMs).then((card) => card !== null);
  }

  /** The card in a reader now, or the next one read within `timeoutMs` (null when none comes): for the kiosk. */
  readCard(timeoutMs: number): Promise<CardRead | null> {
    const present = this.slots.find((s) => s.present)?.present;
    return present ? Promise.resolve(present) : this.nextCard(timeoutMs);
  }

  private nextCard(timeoutMs: number): Promise<CardRead | null> {
    return new Promise((resolve) => {
      const onCard = (card: CardRead) => settle(card);
      const timer = setTimeout(() => settle(null), timeoutMs);
      const settle = (card: CardRead | null) => {
        clearTimeout(timer);
        this.off('card', onCard);
        resolve(card);
      };
      this.on('card', onCard);
    });
  }

  /** Demo and training: drives a simulated reader as a citizen or a faulty cable would. */
  simulate(command: SimulatedAction): void {
    const slot = this.slots.find((s) => s.kind === command.reader);
    const simulator = slot?.simulator;
    const label = CARD_KIND_LABELS[command.reader];
    if (!slot || !simulator) throw new ApiError('CONFLICT', `${label}读卡器不是模拟设备，请使用真实卡片`);
    switch (command.action) {
      case 'insert': {
        const person = demoPeople.find((p) => p.idNumber === command.idNumber);
        if (!person) throw new ApiError('NOT_FOUND', '没有这位演示人员');
        if (simulator instanceof SimulatedSamReader) return simulator.place(person);
        if (!person.socialSecurity) throw new ApiError('VALIDATION', `${person.name}没有社保卡，请放置其证件`);
        // A second card cannot go into an occupied slot: the reader would never see the first one leave.
        if (slot.inserted) throw new ApiError('CONFLICT', '读卡器中已有卡片，请先取出');
        slot.inserted = true;
        return simulator.insert(SimulatedSocialSecurityCard.fromPerson(person));
      }
      case 'remove':
        slot.inserted = false;
        return simulator instanceof SimulatedSamReader ? simulator.take() : simulator.remove();
      case 'garble':
        return simulator.failNextRead('garbage');
      case 'unplug':
        return simulator.port.unplug();
      case 'replug':
        return simulator.port.replug();
    }
  }

  private open(kind: CardKind, setting: string): Slot {
    const slot: Slot = { kind, setting, inserted: false };
    let parsed: ReaderSetting;
    try {
      parsed = parseReaderSetting(setting);
    } catch (error) {
      // Saved settings are checked, so this is a store from elsewhere: run without the reader and say why.
      slot.problem = error instanceof Error ? error.message : String(error);
      this.options.logger.warn('card reader setting refused', { kind, setting });
      return slot;
    }
    if (parsed.kind === 'none') return slot;
    const logger = toDeviceLogger(this.options.logger.child(`reader:${kind}`));
    let driver: CardReaderDriver;
    if (parsed.kind === 'simulated') {
      const path = `SIM-${kind}-${++simulatedPorts}`;
      const simulator = kind === 'social_security' ? new SimulatedSsReader(path) : new SimulatedSamReader(path);
      slot.simulator = simulator;
      driver = this.driver(kind, { path, binding: simulator.port.binding, logger, timeoutMs: this.options.timing?.answerTimeoutMs });
    } else {
      driver = this.driver(kind, { path: parsed.path, baudRate: parsed.baudRate, logger, timeoutMs: this.options.timing?.answerTimeoutMs });
    }
    const { pollIntervalMs, reconnectIntervalMs, readTimeoutMs } = this.options.timing ?? {};
    const service = new CardReaderService(driver, { pollIntervalMs, reconnectIntervalMs, readTimeoutMs, logger });
    service.on('card', (card) => {
      if (driver.detectsRemoval) slot.present = card;
      this.emit('card', card);
    });
    service.on('removed', () => {
      slot.present = undefined;
      this.emit('removed', kind);
    });
    service.on('error', (error) => this.emit('failure', kind, error));
    service.on('status', () => this.emit('status'));
    slot.service = service;
    return slot;
  }

  private driver(kind: CardKind, options: Parameters<typeof createSamReaderDriver>[0]): CardReaderDriver {
    return kind === 'social_security' ? createSerialSsReaderDriver(options) : createSamReaderDriver(options);
  }
}
