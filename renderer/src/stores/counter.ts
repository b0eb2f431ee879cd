import { create } from 'zustand';
import type { DocumentView } from '#shared/api/cases';
import type { EmployerSummary, PersonDetail } from '#shared/api/registry';

/** The counter's working context: who is being served and the last documents produced, kept across pages. */
interface CounterStore {
  person: PersonDetail | null;
  employer: EmployerSummary | null;
  documents: DocumentView[];
  setPerson(person: PersonDetail | null): void;
  setEmployer(employer: EmployerSummary | null): void;
  showDocuments(documents: DocumentView[]): void;
}

export const useCounter = create<CounterStore>((set) => ({
  person: null,
  employer: null,
  documents: [],
  setPerson: (person) => set({ person }),
  setEmployer: (employer) => set({ employer }),
  showDocuments: (documents) => set({ documents }),
}));
