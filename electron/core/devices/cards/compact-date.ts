import { formatBusinessDate, isRealDate } from '#shared/domain/calendar/dates';

/** 'YYYYMMDD', as cards store dates → 'YYYY-MM-DD'; undefined when it is not a real date. */
export function compactDate(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? formatBusinessDate({ year, month, day }) : undefined;
}
