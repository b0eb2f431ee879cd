import type { EvaluationRequest, HallDeviceKind } from '#shared/api/queue';
import type { CoreEvent } from '#shared/api/events';
import type { Connection } from '../api/handlers';

export interface HallDevice {
  id: string;
  kind: HallDeviceKind;
  /** The window an evaluator or a counter PC belongs to; null for the kiosk and the display. */
  windowNo: number | null;
}

/**
 * Which connections are paired hall devices, and which want the hall's pushes. Connections are keyed by identity and
 * forgotten when their channel closes, so a reconnecting page pairs and subscribes again.
 */
export function createHallHub() {
  const devices = new Map<Connection, HallDevice>();
  const subscribers = new Set<Connection>();
  return {
    pair: (connection: Connection, device: HallDevice) => void devices.set(connection, device),
    device: (connection: Connection): HallDevice | undefined => devices.get(connection),
    /** Ids of the devices paired on a live connection. */
    online: (): Set<string> => new Set([...devices.values()].map((d) => d.id)),
    subscribe: (connection: Connection) => void subscribers.add(connection),
    forget(connection: Connection): void {
      devices.delete(connection);
      subscribers.delete(connection);
    },
    /** Unpairs every connection of a revoked or re-keyed device and tells it why. */
    drop(deviceId: string, message: string): void {
      for (const [connection, device] of devices) {
        if (device.id !== deviceId) continue;
        devices.delete(connection);
        subscribers.delete(connection);
        connection.emit({ type: 'hall.unpaired', message });
      }
    },
    /** To every subscriber, or only those `to` accepts. */
    publish(event: CoreEvent, to?: (device: HallDevice | undefined) => boolean): void {
      for (const c of subscribers) if (!to || to(devices.get(c))) c.emit(event);
    },
  };
}
export type HallHub = ReturnType<typeof createHallHub>;

/** Tells the evaluator of a window what to ask for: a rating of this visit, or nothing (null). */
export function publishEvaluation(hub: HallHub, windowNo: number, request: EvaluationRequest | null): void {
  hub.publish({ type: 'evaluation.requested', windowNo, request }, (d) => d?.kind === 'evaluator' && d.windowNo === windowNo);
}
