import { HALL_DEVICE_LABELS, type HallDeviceKind } from '#shared/api/queue';
import type { Client } from '#shared/transport/client';

/** Enrols a hall device as the admin would (大厅设备 → 添加设备) and returns its one-time key. */
export async function enrolDevice(admin: Client, kind: HallDeviceKind, windowNo?: number): Promise<string> {
  const name = `${HALL_DEVICE_LABELS[kind]}${windowNo ?? ''}`;
  return (await admin.call('hall.addDevice', { kind, name, windowNo: windowNo ?? null })).key;
}

/** Enrols a device and pairs `device` as it. */
export async function pairDevice<C extends Client>(admin: Client, device: C, kind: HallDeviceKind, windowNo?: number): Promise<C> {
  await device.call('hall.pair', { kind, key: await enrolDevice(admin, kind, windowNo) });
  return device;
}
