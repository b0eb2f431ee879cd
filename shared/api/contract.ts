import { archiveMethods } from './archive';
import { auditMethods } from './audit';
import { authMethods } from './auth';
import { backupMethods } from './backup';
import { casesMethods } from './cases';
import { dayCloseMethods } from './dayclose';
import { devicesMethods } from './devices';
import { queueMethods } from './queue';
import { registryMethods } from './registry';
import { reportMethods } from './reports';
import { scannerMethods } from './scanner';
import { stationMethods } from './station';
import { syncMethods } from './sync';
import { systemMethods } from './system';
import type { z } from 'zod';

/**
 * The API contract: every method the core answers, with the schema of its params and
 * result and who may call it (each capability declares its methods in its own module).
 * The core validates every call against it, whatever the transport; the renderer's
 * client is typed from it.
 */
export const api = {
  ...systemMethods,
  ...stationMethods,
  ...authMethods,
  ...backupMethods,
  ...auditMethods,
  ...registryMethods,
  ...reportMethods,
  ...casesMethods,
  ...archiveMethods,
  ...devicesMethods,
  ...scannerMethods,
  ...queueMethods,
  ...syncMethods,
  ...dayCloseMethods,
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ParamsOf<M extends MethodName> = z.input<Api[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Api[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export type { Access } from './define';
export type { Operator, Session } from './auth';
export type { Station } from './station';
export type { DeviceStatus, SystemStatus } from './system';
