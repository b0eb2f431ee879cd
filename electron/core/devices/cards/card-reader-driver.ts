import type { CardKind, CardRead } from './card-read';

export type PollResult = { present: false } | { present: true; read: () => Promise<CardRead> };

/** One kind of card reader, as the CardReaderService drives it. */
export interface CardReaderDriver {
  readonly kind: CardKind;
  /**
   * Whether a card staying on the reader stays visible. An ID card's SAM cannot find a card it has
   * read until the card leaves the field, so that driver sees each presentation once and no removal.
   */
  readonly detectsRemoval: boolean;
  /** Opens the device; rejects with DEVICE_OFFLINE when it is not there. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** `listener` runs when the device goes away on its own (cable pulled). */
  onDisconnect(listener: () => void): void;
  /** Looks for a card; reading is a second step so that a card still on the reader is not read again. */
  poll(): Promise<PollResult>;
}
