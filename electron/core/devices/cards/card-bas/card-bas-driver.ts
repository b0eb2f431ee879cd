import type { CardReaderDriver, PollResult } from '../card-reader-driver';
import { CARD_BAS_NO_CARD, cardBasError, cardBasToCardRead, parseCardBas } from './card-bas';

/** iType of iReadCardBas: 1 contact, 2 contactless, 3 auto (contact first), 4 auto (contactless first). */
export type CardBasType = 1 | 2 | 3 | 4;

/**
 * The vendor library's `long iReadCardBas(int iType, char* pOutInfo)`, called by whatever loads the
 * DLL (a native addon or a helper process). `output` is pOutInfo decoded from GBK.
 */
export type ReadCardBas = (iType: CardBasType) => Promise<{ code: number; output: string }>;

export interface CardBasDriverOptions {
  readCardBas: ReadCardBas;
  iType?: CardBasType;
  open?: () => Promise<void>;
  close?: () => Promise<void>;
}

/** A reader reached through the national iReadCardBas interface; it reads on every poll. */
export function createCardBasDriver(options: CardBasDriverOptions): CardReaderDriver {
  return {
    kind: 'social_security',
    detectsRemoval: true,
    connect: async () => options.open?.(),
    disconnect: async () => options.close?.(),
    // The library reports a lost reader through its return codes (−11, −12), which poll turns into DEVICE_OFFLINE.
    onDisconnect: () => {},
    async poll(): Promise<PollResult> {
      const { code, output } = await options.readCardBas(options.iType ?? 3);
      if (code === CARD_BAS_NO_CARD) return { present: false };
      const error = code === 0 ? undefined : cardBasError(code);
      // A lost reader is the reader's failure; anything else is this card's.
      if (error?.code === 'DEVICE_OFFLINE') throw error;
      return {
        present: true,
        read: async () => {
          if (error) throw error;
          return cardBasToCardRead(parseCardBas(output));
        },
      };
    },
  };
}
