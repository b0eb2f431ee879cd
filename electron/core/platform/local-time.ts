import { addDays, toDayNumber, type BusinessDate } from '#shared/domain/calendar/dates';

/**
 * Instants (audit `at`, UTC ISO strings) read as wall-clock time in the station's zone, and business dates turned
 * back into instant bounds. The shared calendar works on dates only and never on zones, so this lives here.
 */
const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  date: BusinessDate;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

export function localTime(instant: string | Date, timeZone: string): LocalTime {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const part: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(d)) part[p.type] = p.value;
  const msOfDay = ((Number(part.hour) * 60 + Number(part.minute)) * 60 + Number(part.second)) * 1000 + d.getUTCMilliseconds();
  return { date: `${part.year}-${part.month}-${part.day}`, msOfDay };
}

export const isInstant = (text: string) => !Number.isNaN(Date.parse(text));

/** 'HH:MM' → milliseconds since midnight. */
export function msOfClock(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`);
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'HH:MM' or 'HH:MM:SS' of a time of day. */
export function clockOf(msOfDay: number, withSeconds = false): string {
  const s = Math.floor(msOfDay / 1000);
  const hm = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}`;
  return withSeconds ? `${hm}:${pad2(s % 60)}` : hm;
}

/** 'YYYY-MM-DD HH:MM:SS' in the zone, for people and printouts; a tampered value that is no instant as it is. */
export function formatLocal(instant: string, timeZone: string): string {
  if (!isInstant(instant)) return instant;
  const t = localTime(instant, timeZone);
  return `${t.date} ${clockOf(t.msOfDay, true)}`;
}

/** The instant the business date starts in the zone (two passes, so a zone that shifts its offset that day works). */
function startOfDay(date: BusinessDate, timeZone: string): Date {
  const wallMidnight = toDayNumber(date) * MS_PER_DAY;
  const offsetAt = (t: number) => {
    const l = localTime(new Date(t), timeZone);
    return toDayNumber(l.date) * MS_PER_DAY + l.msOfDay - t;
  };
  const first = wallMidnight - offsetAt(wallMidnight);
  return new Date(wallMidnight - offsetAt(first));
}

/** [start, end) instants of the business dates from..to, both included; either side open when not given. */
export function instantRange(
  from: BusinessDate | undefined,
  to: BusinessDate | undefined,
  timeZone: string,
): { from?: string; to?: string } {
  return {
    ...(from && { from: startOfDay(from, timeZone).toISOString() }),
    ...(to && { to: startOfDay(addDays(to, 1), timeZone).toISOString() }),
  };
}
