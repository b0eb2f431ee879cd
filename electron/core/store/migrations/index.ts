import type { Migration } from '../migrate';
import { m0001Init } from './0001_init';
import { m0002Counter } from './0002_counter';

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [m0001Init, m0002Counter];
