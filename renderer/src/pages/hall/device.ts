import { useEffect, useState } from 'react';
import type { DisplaySnapshot, HallDeviceKind } from '#shared/api/queue';
import { HALL_DEVICE_KINDS } from '#shared/api/queue';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

/** A hall device page's pairing, from its address: `/?device=kiosk&key=…` (evaluators add `&window=3`). */
export interface HallDeviceParams {
  kind: HallDeviceKind;
  key: string;
  windowNo?: number;
}

export function hallDeviceFromUrl(search: string): HallDeviceParams | null {
  const q = new URLSearchParams(search);
  const kind = q.get('device');
  const key = q.get('key');
  if (!kind || !key || !(HALL_DEVICE_KINDS as readonly string[]).includes(kind)) return null;
  const windowNo = Number(q.get('window'));
  return { kind: kind as HallDeviceKind, key, ...(Number.isInteger(windowNo) && windowNo > 0 && { windowNo }) };
}

/** The address an admin gives a LAN screen; `origin` is where the hall host is reached from that screen. */
export function hallDeviceUrl(origin: string, kind: HallDeviceKind, key: string, windowNo?: number): string {
  const q = new URLSearchParams({ device: kind, key, ...(windowNo && { window: String(windowNo) }) });
  return `${origin}/?${q.toString()}`;
}

export type Pairing =
  { state: 'pairing' } | { state: 'paired'; stationName: string; generation: number } | { state: 'failed'; message: string };

/**
 * Pairs this page's connection and subscribes to the hall's pushes, again after every reconnect (a new socket is a
 * new channel, announced by session.changed). `generation` changes on each pairing, so pages reload their state.
 */
export function useHallPairing(device: HallDeviceParams): Pairing {
  const [pairing, setPairing] = useState<Pairing>({ state: 'pairing' });
  const { kind, key, windowNo } = device;
  useEffect(() => {
    let generation = 0;
    let stopped = false;
    const pair = async () => {
      try {
        const r = await client().call('hall.pair', { kind, key, ...(windowNo && { windowNo }) });
        await client().call('queue.subscribe', {});
        if (!stopped) setPairing({ state: 'paired', stationName: r.stationName, generation: ++generation });
      } catch (err) {
        if (!stopped) setPairing({ state: 'failed', message: errorMessage(err) });
      }
    };
    void pair();
    const off = client().onEvent((e) => {
      if (e.type === 'session.changed' && e.session === null) void pair();
    });
    return () => {
      stopped = true;
      off();
    };
  }, [kind, key, windowNo]);
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
