import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  businessDateSchema,
  daysBetween,
  fromDayNumber,
  isRealDate,
  isoWeekday,
  lastDayOfMonth,
  monthSchema,
  monthsInRange,
  toDayNumber,
} from './dates';

const MS_PER_DAY = 86_400_000;
/** Dates from 0001-01-01 to 9999-12-31 as UTC instants (the Date object serves only as an independent oracle). */
const utcDates = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true });

function isoOf(date: Date): string {
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

describe('calendar arithmetic', () => {
  it('counts days like the proleptic Gregorian calendar of Date.UTC', () => {
    fc.assert(
      fc.property(utcDates, (date) => {
        const iso = isoOf(date);
        expect(toDayNumber(iso)).toBe(Math.floor(date.getTime() / MS_PER_DAY));
        expect(isoWeekday(iso)).toBe(((date.getUTCDay() + 6) % 7) + 1);
      }),
    );
  });

  it('round-trips day numbers and adds days consistently', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), fc.integer({ min: -5000, max: 5000 }), (day, delta) => {
        const date = fromDayNumber(day);
        expect(toDayNumber(date)).toBe(day);
        expect(daysBetween(date, addDays(date, delta))).toBe(delta);
      }),
    );
  });

  it('knows which dates exist', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2023, 2, 29)).toBe(false);
    expect(isRealDate(1900, 2, 29)).toBe(false);
    expect(isRealDate(2000, 2, 29)).toBe(true);
    expect(isRealDate(2024, 4, 31)).toBe(false);
    expect(isRealDate(2024, 13, 1)).toBe(false);
    expect(isoWeekday('2026-01-04')).toBe(7);
  });

  it('steps months', () => {
    expect(addMonths('2024-11', 3)).toBe('2025-02');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(monthsInRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsInRange('2025-02', '2024-11')).toEqual([]);
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2023-02')).toBe('2023-02-28');
  });

  it('rejects malformed dates and months with a Chinese message', () => {
    const date = businessDateSchema.safeParse('2023-02-29');
    expect(date.success).toBe(false);
    expect(date.error?.issues[0]?.message).toContain('日历上存在的日期');
    expect(businessDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(monthSchema.safeParse('2024-13').success).toBe(false);
    expect(monthSchema.safeParse('2024-3').success).toBe(false);
    expect(() => toDayNumber('2024-02-30')).toThrow(RangeError);
  });
});
