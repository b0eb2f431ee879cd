import { STATION_TIME_ZONE } from '#shared/api/station';
import { localTime } from './local-time';

/** The business date (YYYY-MM-DD) of an instant in the station's time zone, whatever the device's zone. */
export function businessDateAt(instant: Date, timeZone = STATION_TIME_ZONE): string {
  return localTime(instant, timeZone).date;
}
