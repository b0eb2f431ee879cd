import { create } from 'zustand';
import { CARD_KIND_LABELS, type CardView, type DeviceOverview, type PrintJob } from '#shared/api/devices';
import type { CoreEvent } from '#shared/api/events';
import { client } from '../app/client';
import { errorMessage } from '../app/errors';
import { useCounter } from './counter';

export interface LastOutput {
  jobId: string;
  text: string;
  png: string;
}

/** What the counter's devices are doing: printer and readers, the print queue, and the last word from a card reader. */
interface DevicesStore {
  overview: DeviceOverview | null;
  jobs: PrintJob[];
  /** The virtual printer's last printed job. */
  lastOutput: LastOutput | null;
  /** The last card read, failure or F1 wait, for the person panel. */
  cardNotice: { type: 'info' | 'error'; text: string } | null;
  reading: boolean;
  /** Loads the state and follows the core's device events; returns the unsubscribe function. */
  connect(): () => void;
  /** F1: the card in the reader now, or the next one presented. */
  readCard(): Promise<void>;
  refreshQueue(): Promise<void>;
}

/** Jobs kept on screen: the queue panel shows the recent ones, the core keeps them all. */
const JOBS_SHOWN = 50;

/** Newest first, one entry per job. */
function upsert(jobs: PrintJob[], job: PrintJob): PrintJob[] {
  const rest = jobs.filter((j) => j.id !== job.id);
  return [job, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).slice(0, JOBS_SHOWN);
}

/** A card brings its person up, or offers to register them; never anyone else. */
async function presentCard(card: CardView): Promise<void> {
  const counter = useCounter.getState();
  if (card.personId) {
    counter.setPerson(await client().call('person.get', { id: card.personId }), 'card');
    useDevices.setState({ cardNotice: { type: 'info', text: `已读取${CARD_KIND_LABELS[card.kind]}：${card.name}` } });
  } else if (card.idNumber) {
    counter.offerRegistration({ idNumber: card.idNumber, name: card.name });
    useDevices.setState({
      cardNotice: { type: 'info', text: `已读取${CARD_KIND_LABELS[card.kind]}：${card.name}，系统中尚无此人，请登记` },
    });
  }
}

/** A person brought up by a card leaves with the card, and a failed read must not leave them looking current. */
function dropCardPerson(): void {
  const counter = useCounter.getState();
  if (counter.personFromCard) counter.setPerson(null);
  counter.offerRegistration(null);
}

export const useDevices = create<DevicesStore>((set, get) => {
  const onEvent = (event: CoreEvent) => {
    switch (event.type) {
      case 'device.status':
        set({ overview: event.devices });
        break;
      case 'print.job':
        set({ jobs: upsert(get().jobs, event.job) });
        if (event.job.state === 'printed' && get().overview?.printer.simulated) {
          void client()
            .call('printer.lastOutput', {})
            .then((lastOutput) => set({ lastOutput }));
        }
        break;
      case 'card.read':
        void presentCard(event.card).catch((err: unknown) => set({ cardNotice: { type: 'error', text: errorMessage(err) } }));
        break;
      case 'card.removed':
        dropCardPerson();
        set({ cardNotice: null });
        break;
      case 'card.error':
        dropCardPerson();
        set({ cardNotice: { type: 'error', text: `${CARD_KIND_LABELS[event.kind]}读取失败：${event.message}` } });
        break;
    }
  };

  return {
    overview: null,
    jobs: [],
    lastOutput: null,
    cardNotice: null,
    reading: false,
    connect() {
      const unsubscribe = client().onEvent(onEvent);
      void Promise.all([
        client().call('devices.overview', {}),
        client().call('print.queue', {}),
        client().call('printer.lastOutput', {}),
      ]).then(
        ([overview, queue, lastOutput]) => set({ overview, jobs: queue.jobs, lastOutput }),
        () => undefined,
      );
      return unsubscribe;
    },
    async refreshQueue() {
      set({ jobs: (await client().call('print.queue', {})).jobs });
    },
    async readCard() {
      if (get().reading) return;
      set({ reading: true, cardNotice: { type: 'info', text: '请插入社保卡，或将身份证放在读卡器上…' } });
      try {
        const { found } = await client().call('card.read', {});
        if (!found) set({ cardNotice: { type: 'error', text: '未读到卡片：请插入社保卡或将身份证放在读卡器上后再按 F1' } });
      } catch (err) {
        set({ cardNotice: { type: 'error', text: errorMessage(err) } });
      } finally {
        set({ reading: false });
      }
    },
  };
});
