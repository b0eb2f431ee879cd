import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { HOLIDAYS_2026 } from './holidays-2026';
import { createWorkingCalendar, holidayYearSchema, isWorkingDay, promisedCompletionDate, workingDaysBetween } from './working-days';

const calendar = createWorkingCalendar([holidayYearSchema.parse(HOLIDAYS_2026)]);

describe('business calendar', () => {
  it('follows the 2026 holiday notice', () => {
    const off = [
      '2026-01-01',
      '2026-02-16',
      '2026-02-23',
      '2026-04-06',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-07',
      '2026-03-07',
    ];
    const on = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10', '2026-03-02', '2026-10-08'];
    for (const day of off) expect(isWorkingDay(calendar, day), day).toBe(false);
    for (const day of on) expect(isWorkingDay(calendar, day), day).toBe(true);
    expect(calendar.holidays.get('2026-02-17')).toBe('春节');
    // 2026 has 365 days, 104 weekend days, 6 make-up working days and 19 holidays on weekdays: 248 working days.
    expect(workingDaysBetween(calendar, '2025-12-31', '2026-12-31')).toBe(248);
  });

  it('computes promised completion dates, counting from the day after acceptance', () => {
    expect(promisedCompletionDate(calendar, '2026-09-30', 5)).toEqual({ date: '2026-10-13', provisional: false });
    expect(promisedCompletionDate(calendar, '2026-02-13', 1)).toEqual({ date: '2026-02-14', provisional: false });
    expect(promisedCompletionDate(calendar, '2026-02-12', 15)).toEqual({ date: '2026-03-11', provisional: false });
    expect(promisedCompletionDate(calendar, '2026-06-18', 0)).toEqual({ date: '2026-06-18', provisional: false });
    expect(() => promisedCompletionDate(calendar, '2026-06-18', -1)).toThrow(RangeError);
  });

  it('marks a date as provisional when the count enters a year without a table', () => {
    expect(promisedCompletionDate(calendar, '2026-12-28', 5)).toEqual({ date: '2027-01-04', provisional: true });
    expect(promisedCompletionDate(calendar, '2026-12-28', 3)).toEqual({ date: '2026-12-31', provisional: false });
  });

  it('lets a pushed table replace the shipped one for the same year', () => {
    const extraDayOff = {
      ...HOLIDAYS_2026,
      holidays: [...HOLIDAYS_2026.holidays, { name: '地方假日', from: '2026-03-02', to: '2026-03-02' }],
    };
    const updated = createWorkingCalendar([HOLIDAYS_2026, extraDayOff]);
    expect(isWorkingDay(updated, '2026-03-02')).toBe(false);
    expect(isWorkingDay(calendar, '2026-03-02')).toBe(true);
  });

  it('refuses an inconsistent holiday table', () => {
    const weekdayMakeUp = holidayYearSchema.safeParse({ ...HOLIDAYS_2026, makeUpWorkdays: ['2026-03-03'] });
    expect(weekdayMakeUp.error?.issues[0]?.message).toBe('调休上班日2026-03-03不是周末');
    const clash = holidayYearSchema.safeParse({ ...HOLIDAYS_2026, makeUpWorkdays: ['2026-10-03'] });
    expect(clash.error?.issues[0]?.message).toBe('2026-10-03既是放假日又是调休上班日');
    const wrongYear = holidayYearSchema.safeParse({ ...HOLIDAYS_2026, makeUpWorkdays: ['2025-10-11'] });
    expect(wrongYear.error?.issues[0]?.message).toBe('调休上班日2025-10-11不在2026年内');
    const backwards = holidayYearSchema.safeParse({ ...HOLIDAYS_2026, holidays: [{ name: '春节', from: '2026-02-23', to: '2026-02-15' }] });
    expect(backwards.error?.issues[0]?.message).toBe('放假结束日期不能早于开始日期');
  });

  it('a promised date is a working day exactly N working days after acceptance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 60 }), (offset, days) => {
        const accepted = addDays('2026-01-01', offset);
        const { date, provisional } = promisedCompletionDate(calendar, accepted, days);
        expect(workingDaysBetween(calendar, accepted, date)).toBe(days);
        if (days > 0) expect(isWorkingDay(calendar, date)).toBe(true);
        expect(provisional).toBe(date > '2026-12-31');
      }),
    );
  });
});
