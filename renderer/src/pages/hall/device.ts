import { useEffect, useState } from 'react';
import type { DisplaySnapshot, HallDeviceKind } from '#shared/api/queue';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

/** Hall devices that are a page of their own (a counter PC runs the whole app and links in its settings). */
export const SCREEN_KINDS = ['kiosk', 'display', 'evaluator'] as const satisfies readonly HallDeviceKind[];
export type ScreenKind = (typeof SCREEN_KINDS)[number];

/** A hall screen's pairing, from its address: `/?device=kiosk&key=…`. The host knows an evaluator's window. */
export interface HallDeviceParams {
  kind: ScreenKind;
  key: string;
}

export function hallDeviceFromUrl(search: string): HallDeviceParams | null {
  const q = new URLSearchParams(search);
  const kind = q.get('device');
  const key = q.get('key');
  if (!kind || !key || !(SCREEN_KINDS as readonly string[]).includes(kind)) return null;
  return { kind: kind as ScreenKind, key };
}

/** The address an admin gives a LAN screen; `origin` is where the hall host is reached from that screen. */
export function hallDeviceUrl(origin: string, kind: ScreenKind, key: string): string {
  return `${origin}/?${new URLSearchParams({ device: kind, key }).toString()}`;
}

export type Pairing =
  | { state: 'pairing' }
  | { state: 'paired'; stationName: string; windowNo: number | null; generation: number }
  | { state: 'failed'; message: string };

/**
 * Pairs this page's connection and subscribes to the hall's pushes, again after every reconnect (a new socket is a
 * new channel, announced by session.changed). `generation` changes on each pairing, so pages reload their state.
 */
export function useHallPairing(device: HallDeviceParams): Pairing {
  const [pairing, setPairing] = useState<Pairing>({ state: 'pairing' });
  const { kind, key } = device;
  useEffect(() => {
    let generation = 0;
    let stopped = false;
    const pair = async () => {
      try {
        const r = await client().call('hall.pair', { kind, key });
        await client().call('queue.subscribe', {});
        if (!stopped) setPairing({ state: 'paired', stationName: r.stationName, windowNo: r.windowNo, generation: ++generation });
      } catch (err) {
        if (!stopped) setPairing({ state: 'failed', message: errorMessage(err) });
      }
    };
    void pair();
    const off = client().onEvent((e) => {
      if (e.type === 'session.changed' && e.session === null) void pair();
      // Revoked or re-keyed by the admin: this address is dead, say so instead of retrying it.
      if (e.type === 'hall.unpaired') {
        stopped = true;
        setPairing({ state: 'failed', message: e.message });
      }
    });
    return () => {
      stopped = true;
      off();
    };
  }, [kind, key]);
  return pairing;
}

/** The hall as the display and the kiosk show it: loaded once paired, then kept current by pushes. */
export function useHallSnapshot(pairing: Pairing): DisplaySnapshot | null {
  const [snapshot, setSnapshot] = useState<DisplaySnapshot | null>(null);
  const generation = pairing.state === 'paired' ? pairing.generation : 0;
  useEffect(() => {
    if (generation === 0) return;
    let stopped = false;
    void client()
      .call('queue.snapshot', {})
      .then((s) => !stopped && setSnapshot(s));
    const off = client().onEvent((e) => {
      if (e.type === 'queue.snapshot') setSnapshot(e.snapshot);
    });
    return () => {
      stopped = true;
      off();
    };
  }, [generation]);
  return snapshot;
}
