import { create } from 'zustand';
import type { DocumentView } from '#shared/api/cases';
import type { EmployerSummary, PersonDetail } from '#shared/api/registry';

/** Someone a card named who is not in the registry yet: the registration form opens with these. */
export interface RegistrationOffer {
  idNumber: string;
  name: string;
}

/** The counter's working context: who is being served and the last documents produced, kept across pages. */
interface CounterStore {
  person: PersonDetail | null;
  /** The person came from a card in the reader, so taking the card out clears them. */
  personFromCard: boolean;
  employer: EmployerSummary | null;
  documents: DocumentView[];
  registration: RegistrationOffer | null;
  setPerson(person: PersonDetail | null, source?: 'card' | 'search'): void;
  setEmployer(employer: EmployerSummary | null): void;
  showDocuments(documents: DocumentView[]): void;
  offerRegistration(offer: RegistrationOffer | null): void;
}

export const useCounter = create<CounterStore>((set) => ({
  person: null,
  personFromCard: false,
  employer: null,
  documents: [],
  registration: null,
  setPerson: (person, source = 'search') => set({ person, personFromCard: person !== null && source === 'card', registration: null }),
  setEmployer: (employer) => set({ employer }),
  showDocuments: (documents) => set({ documents }),
  offerRegistration: (registration) => set(registration ? { registration, person: null, personFromCard: false } : { registration }),
}));
