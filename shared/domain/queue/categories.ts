import { z } from 'zod';
import { fail, ok, type Result } from '../result';

/**
 * Ticket categories (号类) of a hall: each has its own prefix and number range, numbered afresh every business day,
 * and is served by the windows listed on it. Kinds follow the hall's lanes: business (综合业务), pickup (领件),
 * consultation (咨询) and the green channel (绿色通道: elderly, disabled, …), which every window calls first.
 */
export const TICKET_KINDS = ['business', 'pickup', 'consultation', 'green'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const TICKET_KIND_LABELS: Readonly<Record<TicketKind, string>> = {
  business: '综合业务',
  pickup: '领件',
  consultation: '咨询',
  green: '绿色通道',
};

// '24:00' closes at midnight, so a category can issue all day.
const clockSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, '时间格式应为HH:MM');

export const ticketCategorySchema = z
  .object({
    code: z.string().regex(/^[A-Z]{1,2}$/, '号类前缀须为1至2个大写字母'),
    name: z.string().trim().min(2, '号类名称至少2个字').max(12, '号类名称不超过12个字'),
    kind: z.enum(TICKET_KINDS),
    numberFrom: z.number().int().min(1).max(9999),
    numberTo: z.number().int().min(1).max(9999),
    /** Tickets per business day; null: only the number range limits it. */
    dailyCap: z.number().int().min(1).max(9999).nullable(),
    /** Issuing hours in the station's time zone, from included, to excluded. */
    hours: z.object({ from: clockSchema, to: clockSchema }).refine((h) => h.from < h.to, '取号结束时间须晚于开始时间'),
    /** Share of calls in the ratio between categories (e.g. 2 normal to 1 priority); the green channel ignores it. */
    weight: z.number().int().min(1, '叫号比例至少为1').max(10, '叫号比例不超过10'),
    /** Windows that serve this category. */
    windows: z.array(z.number().int().min(1).max(99)).min(1, '至少指定一个办理窗口'),
  })
  .refine((c) => c.numberFrom <= c.numberTo, { message: '号段结束号须不小于起始号', path: ['numberTo'] });
export type TicketCategory = z.infer<typeof ticketCategorySchema>;

/** Ticket number as printed and announced: the prefix and at least three digits (A012). */
export function formatTicketNo(category: Pick<TicketCategory, 'code' | 'numberTo'>, n: number): string {
  const digits = Math.max(3, String(category.numberTo).length);
  return `${category.code}${String(n).padStart(digits, '0')}`;
}

export type IssueRefusal = 'outside_hours' | 'daily_cap' | 'range_exhausted';

/**
 * Whether one more ticket of the category may be issued now, and its number.
 * `issuedToday` counts the category's tickets of this business day; `minuteOfDay` is local wall time, or null when
 * issuing hours do not apply (a walk-in served at once, a ticket carried over: the person is already in the hall).
 */
export function nextTicketNumber(
  category: TicketCategory,
  issuedToday: number,
  minuteOfDay: number | null,
): Result<{ number: number; ticketNo: string }, IssueRefusal> {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  if (minuteOfDay !== null && (minuteOfDay < minutes(category.hours.from) || minuteOfDay >= minutes(category.hours.to))) {
    return fail('outside_hours', `${category.name}的取号时间为${category.hours.from}至${category.hours.to}`);
  }
  if (category.dailyCap !== null && issuedToday >= category.dailyCap) {
    return fail('daily_cap', `${category.name}今日号源已取完（每日限${category.dailyCap}个）`);
  }
  const number = category.numberFrom + issuedToday;
  if (number > category.numberTo) return fail('range_exhausted', `${category.name}今日号段已用完`);
  return ok({ number, ticketNo: formatTicketNo(category, number) });
}

/**
 * What a new station starts with until the admin sets its own: issuing all day, so the demo works at any hour;
 * a real hall sets its opening hours.
 */
const ALL_DAY = { from: '00:00', to: '24:00' };

export const DEFAULT_CATEGORIES: readonly TicketCategory[] = [
  {
    code: 'A',
    name: '综合业务',
    kind: 'business',
    numberFrom: 1,
    numberTo: 999,
    dailyCap: null,
    hours: ALL_DAY,
    weight: 2,
    windows: [1, 2, 3],
  },
  {
    code: 'B',
    name: '领取结果',
    kind: 'pickup',
    numberFrom: 1,
    numberTo: 999,
    dailyCap: null,
    hours: ALL_DAY,
    weight: 1,
    windows: [1, 2, 3],
  },
  {
    code: 'C',
    name: '政策咨询',
    kind: 'consultation',
    numberFrom: 1,
    numberTo: 999,
    dailyCap: 200,
    hours: ALL_DAY,
    weight: 1,
    windows: [3],
  },
  {
    code: 'L',
    name: '绿色通道',
    kind: 'green',
    numberFrom: 1,
    numberTo: 999,
    dailyCap: null,
    hours: ALL_DAY,
    weight: 1,
    windows: [1, 2, 3],
  },
];
