import { z } from 'zod';

/**
 * Business dates ('YYYY-MM-DD') and contribution months ('YYYY-MM') as plain strings, with calendar arithmetic on
 * integer day numbers. Nothing here reads the clock or the device time zone: "today" is always passed in by the
 * caller, who knows the station's business date.
 */
export type BusinessDate = string;
export type BusinessMonth = string;

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when year/month/day name a day that exists in the Gregorian calendar (no 2月30日, no 2023-02-29). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export function parseBusinessDate(text: string): CivilDate | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

export function formatBusinessDate({ year, month, day }: CivilDate): BusinessDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function requireDate(text: string): CivilDate {
  const date = parseBusinessDate(text);
  // A malformed date reaching the arithmetic is a programming error: user input is validated by the schemas below.
  if (!date) throw new RangeError(`not a business date (YYYY-MM-DD): ${text}`);
  return date;
}

/** Days since 1970-01-01 (Hinnant's days_from_civil): exact integer arithmetic, no Date object, no time zone. */
export function toDayNumber(text: BusinessDate): number {
  const { year, month, day } = requireDate(text);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromDayNumber(dayNumber: number): BusinessDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatBusinessDate({ year, month, day });
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `to − from` in days (negative when `to` is earlier). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(date: BusinessDate): number {
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function parseMonth(text: string): { readonly year: number; readonly month: number } | null {
  const match = MONTH_PATTERN.exec(text);
  if (!match) return null;
  const [year, month] = [Number(match[1]), Number(match[2])];
  return year >= 1 && month >= 1 && month <= 12 ? { year, month } : null;
}

function requireMonth(text: BusinessMonth): { readonly year: number; readonly month: number } {
  const month = parseMonth(text);
  if (!month) throw new RangeError(`not a month (YYYY-MM): ${text}`);
  return month;
}

/** Months counted from year 0, so months can be compared and stepped with integers. */
export function monthIndex(text: BusinessMonth): number {
  const { year, month } = requireMonth(text);
  return year * 12 + month - 1;
}

export function monthFromIndex(index: number): BusinessMonth {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${pad2((index % 12) + 1)}`;
}

export function addMonths(month: BusinessMonth, count: number): BusinessMonth {
  return monthFromIndex(monthIndex(month) + count);
}

/** Every month from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthsInRange(from: BusinessMonth, to: BusinessMonth): BusinessMonth[] {
  const months: BusinessMonth[] = [];
  for (let index = monthIndex(from); index <= monthIndex(to); index += 1) months.push(monthFromIndex(index));
  return months;
}

export function firstDayOfMonth(month: BusinessMonth): BusinessDate {
  const { year, month: m } = requireMonth(month);
  return formatBusinessDate({ year, month: m, day: 1 });
}

export function lastDayOfMonth(month: BusinessMonth): BusinessDate {
  const { year, month: m } = requireMonth(month);
  return formatBusinessDate({ year, month: m, day: daysInMonth(year, m) });
}

export function monthOf(date: BusinessDate): BusinessMonth {
  const { year, month } = requireDate(date);
  return `${String(year).padStart(4, '0')}-${pad2(month)}`;
}

export const businessDateSchema = z
  .string({ error: '日期必须是文本，格式为 YYYY-MM-DD' })
  .refine((text) => parseBusinessDate(text) !== null, { error: '日期格式应为 YYYY-MM-DD，且必须是日历上存在的日期' });

export const monthSchema = z
  .string({ error: '月份必须是文本，格式为 YYYY-MM' })
  .refine((text) => parseMonth(text) !== null, { error: '月份格式应为 YYYY-MM（如 2024-03）' });
