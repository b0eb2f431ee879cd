import type { Finding } from '#shared/api/audit';
import { STATION_TIME_ZONE } from '#shared/api/station';
import { isoWeekday } from '#shared/domain/calendar/dates';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import { createWorkingCalendar, isWorkingDay, type WorkingCalendar } from '#shared/domain/calendar/working-days';
import { clockOf, localTime, msOfClock } from '../platform/local-time';

/**
 * Screening of the audit log (筛查异常信息): each rule is a pure function over entries in seq order and the
 * parameters, and returns findings for a person to look into. A finding is a reason to look, not a verdict.
 */
export interface ScreenedEntry {
  seq: number;
  /** UTC ISO instant, by the device clock. */
  at: string;
  operatorId: string | null;
  /** Display name from the operator table, for messages. */
  operatorName: string | null;
  action: string;
  entityId: string | null;
  /** Parsed after_json. */
  after: unknown;
}

export interface ScreeningParams {
  timeZone: string;
  calendar: WorkingCalendar;
  /** 'HH:MM'; an operation at `start` is inside working hours, one at `end` is outside. */
  workingHours: { start: string; end: string };
  /** Refunds accepted by one operator on one day that raise a finding (this many or more). */
  refundsPerDay: number;
  /** Main item of refunds and lump sums in the catalogue (resources/catalogue/default.json: I 退保与一次性支付). */
  refundItemCode: string;
  /** Edits of one person on one day that are still normal; one more raises a finding. */
  personEditsPerDay: number;
  /** Failed logins for one username within `failedLoginWindowMs` that raise a finding (this many or more). */
  failedLogins: number;
  failedLoginWindowMs: number;
}

export const DEFAULT_SCREENING: ScreeningParams = {
  timeZone: STATION_TIME_ZONE,
  calendar: createWorkingCalendar([HOLIDAYS_2026]),
  workingHours: { start: '08:30', end: '17:30' },
  refundsPerDay: 5,
  refundItemCode: 'I',
  personEditsPerDay: 3,
  failedLogins: 5,
  failedLoginWindowMs: 3_600_000,
};

type ScreeningRuleFn = (entries: readonly ScreenedEntry[], params: ScreeningParams) => Finding[];

const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

const who = (e: ScreenedEntry) => e.operatorName ?? e.operatorId ?? '未知操作员';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function groupBy<T, K>(items: readonly T[], key: (item: T) => K | null): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The one operator behind all entries, or null when there are several. */
function soleOperator(entries: readonly ScreenedEntry[]): string | null {
  const ids = new Set(entries.map((e) => e.operatorId));
  return ids.size === 1 ? entries[0]!.operatorId : null;
}

const seqsOf = (entries: readonly ScreenedEntry[]) => entries.map((e) => e.seq);

/** Anything an operator did before `start`, from `end` on, or on a day that is not a working day. */
export const offHours: ScreeningRuleFn = (entries, p) => {
  const start = msOfClock(p.workingHours.start);
  const end = msOfClock(p.workingHours.end);
  const outside = entries.flatMap((e) => {
    if (e.operatorId === null) return [];
    const t = localTime(e.at, p.timeZone);
    return isWorkingDay(p.calendar, t.date) && t.msOfDay >= start && t.msOfDay < end ? [] : [{ e, t }];
  });
  return [...groupBy(outside, (o) => `${o.e.operatorId}\u0000${o.t.date}`).values()].map((group) => {
    const { e, t } = group[0]!;
    const times = group.map((o) => clockOf(o.t.msOfDay)).join('、');
    const workingDay = isWorkingDay(p.calendar, t.date);
    const day = workingDay ? t.date : `非工作日${t.date}（${p.calendar.holidays.get(t.date) ?? WEEKDAYS[isoWeekday(t.date)]}）`;
    const when = workingDay ? `工作时间（${p.workingHours.start}–${p.workingHours.end}）以外` : '';
    return {
      rule: 'off_hours',
      severity: workingDay ? 'low' : 'medium',
      operatorId: e.operatorId,
      seqs: group.map((o) => o.e.seq),
      message: `${who(e)}在${day}${when}有${group.length}次操作（${times}）`,
    };
  });
};

function isRefund(after: unknown, refundItemCode: string): boolean {
  if (!isRecord(after)) return false;
  return after.category === 'refund' || (typeof after.itemCode === 'string' && after.itemCode.startsWith(refundItemCode));
}

/** Many refunds accepted by one operator in one day. */
export const manyRefunds: ScreeningRuleFn = (entries, p) => {
  const refunds = entries.filter((e) => e.action === 'case.accept' && e.operatorId !== null && isRefund(e.after, p.refundItemCode));
  const groups = groupBy(refunds, (e) => `${e.operatorId}\u0000${localTime(e.at, p.timeZone).date}`);
  return [...groups.values()]
    .filter((group) => group.length >= p.refundsPerDay)
    .map((group) => ({
      rule: 'refunds',
      severity: 'medium',
      operatorId: group[0]!.operatorId,
      seqs: seqsOf(group),
      message: `${who(group[0]!)}在${localTime(group[0]!.at, p.timeZone).date}受理退费类业务${group.length}笔，达到单日${p.refundsPerDay}笔的筛查线`,
    }));
};

/** One person's data edited more often in a day than normal work needs, by one operator or several. */
export const repeatedPersonEdits: ScreeningRuleFn = (entries, p) => {
  const edits = entries.filter((e) => e.action === 'person.update');
  const groups = groupBy(edits, (e) => (e.entityId === null ? null : `${e.entityId}\u0000${localTime(e.at, p.timeZone).date}`));
  return [...groups.values()]
    .filter((group) => group.length > p.personEditsPerDay)
    .map((group) => {
      const names = [...new Set(group.map(who))].join('、');
      return {
        rule: 'repeated_person_edits',
        severity: 'medium',
        operatorId: soleOperator(group),
        seqs: seqsOf(group),
        message: `人员${group[0]!.entityId}在${localTime(group[0]!.at, p.timeZone).date}被修改${group.length}次（${names}），超过单日${p.personEditsPerDay}次`,
      };
    });
};

/** Every refused attempt against separation of duties (受审分离) is worth a look. */
export const sodAttempts: ScreeningRuleFn = (entries, p) =>
  entries
    .filter((e) => e.action === 'security.sod_refused')
    .map((e) => {
      const t = localTime(e.at, p.timeZone);
      return {
        rule: 'sod_attempt',
        severity: 'high',
        operatorId: e.operatorId,
        seqs: [e.seq],
        message: `${who(e)}于${t.date} ${clockOf(t.msOfDay)}试图违反受审分离办理业务${e.entityId ? `（${e.entityId}）` : ''}，已被系统拒绝`,
      };
    });

/**
 * Bursts of failed logins per username: any `failedLoginWindowMs` window (half-open, so exactly an hour apart is
 * two windows) holding `failedLogins` or more; overlapping windows make one finding.
 */
export const failedLoginBursts: ScreeningRuleFn = (entries, p) => {
  const failures = entries.filter((e) => e.action === 'auth.login_failed');
  const byUser = groupBy(failures, (e) => (isRecord(e.after) && typeof e.after.username === 'string' ? e.after.username : null));
  const findings: Finding[] = [];
  for (const [username, group] of byUser) {
    const sorted = [...group].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const times = sorted.map((e) => Date.parse(e.at));
    const runs: { from: number; to: number }[] = [];
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= p.failedLoginWindowMs) i++;
      if (j - i + 1 < p.failedLogins) continue;
      const last = runs.at(-1);
      if (last && i <= last.to) last.to = j;
      else runs.push({ from: i, to: j });
    }
    for (const run of runs) {
      const burst = sorted.slice(run.from, run.to + 1);
      const first = localTime(burst[0]!.at, p.timeZone);
      const last = localTime(burst.at(-1)!.at, p.timeZone);
      findings.push({
        rule: 'failed_logins',
        severity: 'high',
        operatorId: soleOperator(burst),
        seqs: seqsOf(burst),
        message: `用户名“${username}”在${first.date} ${clockOf(first.msOfDay)}至${last.date === first.date ? '' : `${last.date} `}${clockOf(last.msOfDay)}间登录失败${burst.length}次`,
      });
    }
  }
  return findings;
};

const RULES: readonly ScreeningRuleFn[] = [sodAttempts, failedLoginBursts, manyRefunds, repeatedPersonEdits, offHours];

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/** All rules over the entries, most severe first, then in log order. */
export function screenAuditLog(entries: readonly ScreenedEntry[], params: ScreeningParams = DEFAULT_SCREENING): Finding[] {
  return RULES.flatMap((rule) => rule(entries, params)).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.seqs[0]! - b.seqs[0]!,
  );
}
