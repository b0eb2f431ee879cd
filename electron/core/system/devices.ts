import type { DeviceStatus } from '#shared/api/contract';

/** Which devices this counter uses. 'virtual'/'simulated' are the demo and training devices. */
export interface DeviceSettings {
  printer: { uri: string };
  cardReader: { driver: 'simulated' | 'serial'; path?: string };
}

export const DEMO_DEVICES: DeviceSettings = { printer: { uri: 'virtual' }, cardReader: { driver: 'simulated' } };

/** The status shown on the workbench until the device drivers report live state. */
export function describeDevices(settings: DeviceSettings): DeviceStatus[] {
  const printerSimulated = settings.printer.uri === 'virtual';
  const readerSimulated = settings.cardReader.driver === 'simulated';
  return [
    {
      kind: 'printer',
      name: printerSimulated ? '虚拟热敏打印机' : `热敏打印机 ${settings.printer.uri}`,
      simulated: printerSimulated,
      state: printerSimulated ? 'ready' : 'offline',
      detail: printerSimulated ? '演示模式：打印内容在屏幕上预览' : '尚未连接',
    },
    {
      kind: 'card_reader',
      name: readerSimulated ? '模拟读卡器' : `读卡器 ${settings.cardReader.path ?? ''}`.trim(),
      simulated: readerSimulated,
      state: readerSimulated ? 'ready' : 'offline',
      detail: readerSimulated ? '演示模式：可插入演示社保卡或身份证' : '尚未连接',
    },
  ];
}
