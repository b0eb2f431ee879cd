import type { Database } from 'better-sqlite3';
import type { CardView } from '#shared/api/devices';
import type { CoreEvent } from '#shared/api/events';
import { maskIdNumber } from '#shared/domain/identity/masking';
import type { Handlers } from '../api/handlers';
import { demoPeople, type CardRead } from '../devices/index';
import { registryQueries } from '../registry/registry-queries';
import type { CardReaders } from './card-readers';

/** How long F1 waits for a card to be presented. */
const READ_WAIT_MS = 10_000;

function cardView(card: CardRead, personId: string | null): CardView {
  return {
    kind: card.kind,
    name: card.name,
    idNumberMasked: maskIdNumber(card.idNumber),
    // The full number is needed only to register someone new; a known person is opened by id.
    idNumber: personId ? null : card.idNumber,
    sex: card.sex,
    birthDate: card.birthDate,
    cardNumber: card.kind === 'social_security' ? card.cardNumber : null,
    personId,
  };
}

/** Turns reader events into client events: a card with the registry's person for it, a removal, a failure. */
export function publishCardEvents(readers: CardReaders, deps: { db: Database; broadcast: (event: CoreEvent) => void }): void {
  const registry = registryQueries(deps.db);
  readers.on('card', (card) => {
    if (!deps.db.open) return;
    deps.broadcast({ type: 'card.read', card: cardView(card, registry.personByIdNumber(card.idNumber)?.id ?? null) });
  });
  readers.on('removed', (kind) => deps.broadcast({ type: 'card.removed', kind }));
  readers.on('failure', (kind, error) => deps.broadcast({ type: 'card.error', kind, code: error.code, message: error.message }));
}

export function cardHandlers(deps: { readers: CardReaders }): Pick<Handlers, 'card.read' | 'card.demoPeople' | 'card.simulate'> {
  return {
    'card.read': async () => ({ found: await deps.readers.readNow(READ_WAIT_MS) }),
    'card.demoPeople': () =>
      demoPeople.map((p) => ({
        idNumber: p.idNumber,
        name: p.name,
        socialSecurityGeneration: p.socialSecurity?.generation ?? null,
        documentLabel: p.documentType === 'resident_id' ? '居民身份证' : '港澳台居民居住证',
      })),
    'card.simulate'(params) {
      deps.readers.simulate(params);
      return { ok: true as const };
    },
  };
}
