import { z } from 'zod';
import { addDays, businessDateSchema, daysBetween, isoWeekday, type BusinessDate } from './dates';

/**
 * Working days for promised completion dates (承诺办结日期). The State Council publishes each year's public holidays
 * and the weekend days that become working days (调休上班); the central office pushes each year's table as reference
 * data, and 2026 ships with the app. Time limits count working days and, as the Civil Code counts periods
 * (民法典 art. 201), start on the day after acceptance.
 */
const holidayPeriodSchema = z
  .object({ name: z.string().min(1, { error: '请填写节日名称' }), from: businessDateSchema, to: businessDateSchema })
  .refine((period) => period.from <= period.to, { error: '放假结束日期不能早于开始日期', path: ['to'] });

export const holidayYearSchema = z
  .object({
    year: z.int().min(2000).max(2100),
    /** The notice the table comes from, shown to the teller. */
    source: z.string().min(1, { error: '请注明节假日安排的来源文件' }),
    holidays: z.array(holidayPeriodSchema),
    makeUpWorkdays: z.array(businessDateSchema),
  })
  .superRefine((table, ctx) => {
    const prefix = `${table.year}-`;
    table.holidays.forEach((period, i) => {
      if (!period.from.startsWith(prefix) && !period.to.startsWith(prefix)) {
        ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${period.name}不在${table.year}年内` });
      }
    });
    table.makeUpWorkdays.forEach((date, i) => {
      if (!date.startsWith(prefix))
        ctx.addIssue({ code: 'custom', path: ['makeUpWorkdays', i], message: `调休上班日${date}不在${table.year}年内` });
      else if (isoWeekday(date) < 6) ctx.addIssue({ code: 'custom', path: ['makeUpWorkdays', i], message: `调休上班日${date}不是周末` });
      else if (table.holidays.some((period) => period.from <= date && date <= period.to)) {
        ctx.addIssue({ code: 'custom', path: ['makeUpWorkdays', i], message: `${date}既是放假日又是调休上班日` });
      }
    });
  });

export type HolidayYear = z.infer<typeof holidayYearSchema>;

export interface WorkingCalendar {
  /** Years with a holiday table; outside them only weekends are known. */
  readonly years: ReadonlySet<number>;
  readonly holidays: ReadonlyMap<BusinessDate, string>;
  readonly makeUpWorkdays: ReadonlySet<BusinessDate>;
}

/** Builds a calendar from per-year tables; a later table for the same year replaces an earlier one. */
export function createWorkingCalendar(tables: readonly HolidayYear[]): WorkingCalendar {
  const byYear = new Map<number, HolidayYear>();
  for (const table of tables) byYear.set(table.year, table);
  const holidays = new Map<BusinessDate, string>();
  const makeUpWorkdays = new Set<BusinessDate>();
  for (const table of byYear.values()) {
    for (const period of table.holidays) {
      for (let day = period.from; day <= period.to; day = addDays(day, 1)) holidays.set(day, period.name);
    }
    for (const day of table.makeUpWorkdays) makeUpWorkdays.add(day);
  }
  return { years: new Set(byYear.keys()), holidays, makeUpWorkdays };
}

export function isWorkingDay(calendar: WorkingCalendar, date: BusinessDate): boolean {
  if (calendar.makeUpWorkdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  return isoWeekday(date) <= 5;
}

export interface PromisedDate {
  readonly date: BusinessDate;
  /**
   * True when the count crossed a year without a holiday table: the date assumes only weekends are off and may
   * move once that year's table arrives, so the receipt should say so.
   */
  readonly provisional: boolean;
}

/**
 * Promised completion date of a case accepted on `acceptedOn` with a time limit of `workingDays`: the
 * `workingDays`-th working day after acceptance (0 = the same day, for immediate cases).
 */
export function promisedCompletionDate(calendar: WorkingCalendar, acceptedOn: BusinessDate, workingDays: number): PromisedDate {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError('working days must be a whole number ≥ 0');
  let date = acceptedOn;
  let provisional = false;
  for (let counted = 0; counted < workingDays;) {
    date = addDays(date, 1);
    if (!calendar.years.has(Number(date.slice(0, 4)))) provisional = true;
    if (isWorkingDay(calendar, date)) counted += 1;
  }
  return { date, provisional };
}

/** Working days from `from` (excluded) to `to` (included): how many of a time limit's days have been used. */
export function workingDaysBetween(calendar: WorkingCalendar, from: BusinessDate, to: BusinessDate): number {
  let count = 0;
  for (let i = 1; i <= daysBetween(from, to); i += 1) if (isWorkingDay(calendar, addDays(from, i))) count += 1;
  return count;
}
