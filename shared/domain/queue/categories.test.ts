import { describe, expect, it } from 'vitest';
import { announcementClips, announcementText } from './announce';
import { formatTicketNo, nextTicketNumber, ticketCategorySchema, type TicketCategory } from './categories';
import { DEFAULT_QUEUE_SETTINGS, queueSettingsSchema } from './settings';

const A: TicketCategory = {
  code: 'A',
  name: '综合业务',
  kind: 'business',
  numberFrom: 1,
  numberTo: 999,
  dailyCap: 3,
  hours: { from: '08:30', to: '17:00' },
  weight: 2,
  windows: [1],
};
const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('ticket numbers', () => {
  it('are the prefix and at least three digits', () => {
    expect(formatTicketNo(A, 12)).toBe('A012');
    expect(formatTicketNo({ code: 'VP', numberTo: 1500 }, 7)).toBe('VP0007');
  });

  it('count from the start of the range, within issuing hours and the daily cap', () => {
    expect(nextTicketNumber(A, 0, at('08:30'))).toEqual({ ok: true, value: { number: 1, ticketNo: 'A001' } });
    expect(nextTicketNumber(A, 0, at('08:29'))).toMatchObject({
      ok: false,
      reason: 'outside_hours',
      message: '综合业务的取号时间为08:30至17:00',
    });
    expect(nextTicketNumber(A, 0, at('17:00'))).toMatchObject({ ok: false, reason: 'outside_hours' });
    expect(nextTicketNumber(A, 3, at('09:00'))).toMatchObject({ ok: false, reason: 'daily_cap' });
    expect(nextTicketNumber({ ...A, numberFrom: 100, numberTo: 101, dailyCap: null }, 2, at('09:00'))).toMatchObject({
      ok: false,
      reason: 'range_exhausted',
    });
    expect(nextTicketNumber({ ...A, hours: { from: '00:00', to: '24:00' } }, 0, at('23:59')).ok).toBe(true);
    // Someone already in the hall (walk-in, carried over) is numbered whatever the hour, but never past the range.
    expect(nextTicketNumber(A, 0, null)).toMatchObject({ ok: true, value: { ticketNo: 'A001' } });
    expect(nextTicketNumber(A, 3, null)).toMatchObject({ ok: false, reason: 'daily_cap' });
  });

  it('refuses a category whose range or hours are backwards, and settings with a repeated prefix', () => {
    expect(ticketCategorySchema.safeParse({ ...A, numberFrom: 10, numberTo: 5 }).success).toBe(false);
    expect(ticketCategorySchema.safeParse({ ...A, hours: { from: '17:00', to: '08:00' } }).success).toBe(false);
    expect(queueSettingsSchema.safeParse(DEFAULT_QUEUE_SETTINGS).success).toBe(true);
    const twice = { ...DEFAULT_QUEUE_SETTINGS, categories: [A, A] };
    expect(queueSettingsSchema.safeParse(twice).error?.issues[0]?.message).toBe('号类前缀不能重复');
  });
});

describe('announcements', () => {
  it('say the ticket and the window, and 重呼 on a recall', () => {
    expect(announcementText({ ticketNo: 'A012', windowNo: 3, recall: false })).toBe('请A012号到3号窗口办理');
    expect(announcementText({ ticketNo: 'A012', windowNo: 3, recall: true })).toBe('请A012号到3号窗口办理，重呼');
  });

  it('are spoken from clips, chime first, repeated as set', () => {
    const once = ['请', 'A', '0', '1', '2', '号', '到', '1', '2', '号', '窗口', '办理'];
    expect(announcementClips({ ticketNo: 'A012', windowNo: 12, recall: false }, { chime: false, repeat: 1 })).toEqual(once);
    expect(announcementClips({ ticketNo: 'A012', windowNo: 12, recall: true }, { chime: true, repeat: 2 })).toEqual([
      'chime',
      ...once,
      '重呼',
      ...once,
      '重呼',
    ]);
  });
});
