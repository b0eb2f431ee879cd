import type { Migration } from '../migrate';
import { m0001Init } from './0001_init';
import { m0002Counter } from './0002_counter';
import { m0003Devices } from './0003_devices';
import { m0004Hall } from './0004_hall';
import { m0005HallLink } from './0005_hall_link';
import { m0006Sync } from './0006_sync';
import { m0007DayClose } from './0007_day_close';
import { m0008Archive } from './0008_archive';
import { m0009FileSync } from './0009_file_sync';
import { m0010ArchiveRetention } from './0010_archive_retention';
import { m0011FileRecheck } from './0011_file_recheck';

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Init,
  m0002Counter,
  m0003Devices,
  m0004Hall,
  m0005HallLink,
  m0006Sync,
  m0007DayClose,
  m0008Archive,
  m0009FileSync,
  m0010ArchiveRetention,
  m0011FileRecheck,
];
