import type { Migration } from '../migrate';
import { m0001Init } from './0001_init';
import { m0002Counter } from './0002_counter';
import { m0003Devices } from './0003_devices';
import { m0004Hall } from './0004_hall';

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [m0001Init, m0002Counter, m0003Devices, m0004Hall];
