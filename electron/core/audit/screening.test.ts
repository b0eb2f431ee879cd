import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCREENING,
  failedLoginBursts,
  manyRefunds,
  offHours,
  repeatedPersonEdits,
  screenAuditLog,
  sodAttempts,
  type ScreenedEntry,
} from './screening';

let nextSeq = 1;
/** An entry at a wall-clock time in Shanghai ('2026-03-02T08:30:00'). */
function entry(local: string, fields: Partial<ScreenedEntry> = {}): ScreenedEntry {
  return {
    seq: nextSeq++,
    at: new Date(`${local}+08:00`).toISOString(),
    operatorId: 'op-wang',
    operatorName: '王柜员',
    action: 'case.review',
    entityId: null,
    after: null,
    ...fields,
  };
}

const p = DEFAULT_SCREENING;

describe('screening: operations outside working hours', () => {
  it('puts 08:30 inside and 17:30 outside, to the millisecond', () => {
    const early = entry('2026-03-02T08:29:59.999');
    const start = entry('2026-03-02T08:30:00.000');
    const lastInside = entry('2026-03-02T17:29:59.999');
    const end = entry('2026-03-02T17:30:00.000');
    const findings = offHours([early, start, lastInside, end], p);
    expect(findings).toEqual([
      {
        rule: 'off_hours',
        severity: 'low',
        operatorId: 'op-wang',
        seqs: [early.seq, end.seq],
        message: '王柜员在2026-03-02工作时间（08:30–17:30）以外有2次操作（08:29、17:30）',
      },
    ]);
  });

  it('counts any time of a weekend or a public holiday as outside, but not a make-up working Saturday', () => {
    const saturday = entry('2026-03-07T10:00:00');
    const nationalDay = entry('2026-10-01T10:00:00', { operatorId: 'op-li', operatorName: '李复核' });
    const makeUpWorkday = entry('2026-02-14T10:00:00');
    const findings = offHours([saturday, nationalDay, makeUpWorkday], p);
    expect(findings.map((f) => [f.severity, f.seqs, f.message])).toEqual([
      ['medium', [saturday.seq], '王柜员在非工作日2026-03-07（周六）有1次操作（10:00）'],
      ['medium', [nationalDay.seq], '李复核在非工作日2026-10-01（国庆节）有1次操作（10:00）'],
    ]);
  });

  it('reads the day in the station zone, whatever the UTC date, and groups per operator and day', () => {
    // 2026-03-06 23:50 Friday in Shanghai is still Friday 15:50 UTC; 00:10 is Saturday in Shanghai.
    const lateFriday = entry('2026-03-06T23:50:00');
    const earlySaturday = entry('2026-03-07T00:10:00');
    const saturdayAgain = entry('2026-03-07T09:00:00');
    const other = entry('2026-03-07T09:05:00', { operatorId: 'op-li', operatorName: null });
    const findings = offHours([lateFriday, earlySaturday, saturdayAgain, other], p);
    expect(findings.map((f) => [f.operatorId, f.seqs])).toEqual([
      ['op-wang', [lateFriday.seq]],
      ['op-wang', [earlySaturday.seq, saturdayAgain.seq]],
      ['op-li', [other.seq]],
    ]);
    expect(findings[2]!.message).toContain('op-li在非工作日');
  });

  it('ignores system actions and follows other hours when given', () => {
    expect(offHours([entry('2026-03-02T03:00:00', { operatorId: null, operatorName: null })], p)).toEqual([]);
    const at0830 = entry('2026-03-02T08:30:00');
    expect(offHours([at0830], { ...p, workingHours: { start: '09:00', end: '17:00' } })).toHaveLength(1);
  });
});

describe('screening: many refunds by one operator in a day', () => {
  const refund = (local: string, fields: Partial<ScreenedEntry> = {}) =>
    entry(local, { action: 'case.accept', after: { caseNo: 'x', itemCode: 'I', subItemCode: 'I4' }, ...fields });

  it('flags the day an operator reaches the threshold, not one below it', () => {
    const four = [1, 2, 3, 4].map((h) => refund(`2026-03-02T1${h}:00:00`));
    expect(manyRefunds(four, p)).toEqual([]);
    const fifth = refund('2026-03-02T15:30:00', { after: { category: 'refund' } });
    const findings = manyRefunds([...four, fifth], p);
    expect(findings).toEqual([
      {
        rule: 'refunds',
        severity: 'medium',
        operatorId: 'op-wang',
        seqs: [...four, fifth].map((e) => e.seq),
        message: '王柜员在2026-03-02受理退费类业务5笔，达到单日5笔的筛查线',
      },
    ]);
  });

  it('counts only refund acceptances, per operator and per local day', () => {
    const notRefund = [1, 2, 3].map(() =>
      entry('2026-03-02T10:00:00', { action: 'case.accept', after: { itemCode: 'D', subItemCode: 'D1' } }),
    );
    const reviews = [1, 2].map(() => entry('2026-03-02T10:00:00', { action: 'case.review', after: { itemCode: 'I' } }));
    const byLi = refund('2026-03-02T11:00:00', { operatorId: 'op-li' });
    // 23:59 and 00:01 in Shanghai fall on the same UTC day but on two business days.
    const lateDay1 = [1, 2].map(() => refund('2026-03-02T23:59:00'));
    const earlyDay2 = [1, 2].map(() => refund('2026-03-03T00:01:00'));
    expect(manyRefunds([...notRefund, ...reviews, byLi, ...lateDay1, ...earlyDay2], p)).toEqual([]);
    expect(manyRefunds([byLi, ...lateDay1, ...earlyDay2], { ...p, refundsPerDay: 2 }).map((f) => f.seqs)).toEqual([
      lateDay1.map((e) => e.seq),
      earlyDay2.map((e) => e.seq),
    ]);
  });
});

describe('screening: repeated edits of one person', () => {
  const edit = (local: string, personId: string, fields: Partial<ScreenedEntry> = {}) =>
    entry(local, { action: 'person.update', entityId: personId, ...fields });

  it('allows three edits of a person a day and flags the fourth, by whoever made them', () => {
    const three = ['09:00', '10:00', '11:00'].map((t) => edit(`2026-03-02T${t}:00`, 'person-1'));
    expect(repeatedPersonEdits(three, p)).toEqual([]);
    const fourth = edit('2026-03-02T16:00:00', 'person-1', { operatorId: 'op-li', operatorName: '李复核' });
    expect(repeatedPersonEdits([...three, fourth], p)).toEqual([
      {
        rule: 'repeated_person_edits',
        severity: 'medium',
        operatorId: null,
        seqs: [...three, fourth].map((e) => e.seq),
        message: '人员person-1在2026-03-02被修改4次（王柜员、李复核），超过单日3次',
      },
    ]);
  });

  it('keeps persons and days apart and names the operator when only one made the edits', () => {
    const day1 = ['09:00', '10:00'].map((t) => edit(`2026-03-02T${t}:00`, 'person-1'));
    const day2 = ['09:00', '10:00'].map((t) => edit(`2026-03-03T${t}:00`, 'person-1'));
    const other = ['09:00', '10:00'].map((t) => edit(`2026-03-02T${t}:00`, 'person-2'));
    expect(repeatedPersonEdits([...day1, ...day2, ...other], p)).toEqual([]);
    const flagged = repeatedPersonEdits([...day1, ...day2, ...other], { ...p, personEditsPerDay: 1 });
    expect(flagged.map((f) => [f.operatorId, f.seqs.length])).toEqual([
      ['op-wang', 2],
      ['op-wang', 2],
      ['op-wang', 2],
    ]);
  });
});

describe('screening: attempts against separation of duties', () => {
  it('flags every refused attempt, high', () => {
    const attempt = entry('2026-03-02T10:15:00', { action: 'security.sod_refused', entityId: 'case-9', after: { action: 'pass_review' } });
    const other = entry('2026-03-02T10:16:00', { action: 'case.review' });
    expect(sodAttempts([attempt, other], p)).toEqual([
      {
        rule: 'sod_attempt',
        severity: 'high',
        operatorId: 'op-wang',
        seqs: [attempt.seq],
        message: '王柜员于2026-03-02 10:15试图违反受审分离办理业务（case-9），已被系统拒绝',
      },
    ]);
  });
});

describe('screening: repeated failed logins', () => {
  const failure = (local: string, username = 'teller', operatorId: string | null = 'op-wang') =>
    entry(local, { action: 'auth.login_failed', operatorId, after: { username, windowNo: 1 } });

  it('flags five failures of one username within an hour, not four', () => {
    const four = ['09:00:00', '09:10:00', '09:20:00', '09:30:00'].map((t) => failure(`2026-03-02T${t}`));
    expect(failedLoginBursts(four, p)).toEqual([]);
    const fifth = failure('2026-03-02T09:59:59');
    expect(failedLoginBursts([...four, fifth], p)).toEqual([
      {
        rule: 'failed_logins',
        severity: 'high',
        operatorId: 'op-wang',
        seqs: [...four, fifth].map((e) => e.seq),
        message: '用户名“teller”在2026-03-02 09:00至09:59间登录失败5次',
      },
    ]);
  });

  it('does not count five failures exactly an hour apart end to end', () => {
    const spread = ['09:00:00', '09:15:00', '09:30:00', '09:45:00', '10:00:00'].map((t) => failure(`2026-03-02T${t}`));
    expect(failedLoginBursts(spread, p)).toEqual([]);
  });

  it('merges overlapping windows into one burst and keeps separate bursts and usernames apart', () => {
    const burst = ['09:00', '09:10', '09:20', '09:30', '09:40', '10:05'].map((t) => failure(`2026-03-02T${t}:00`));
    const later = ['13:00', '13:01', '13:02', '13:03', '13:04'].map((t) => failure(`2026-03-02T${t}:00`));
    const unknown = ['09:00', '09:01', '09:02', '09:03'].map((t) => failure(`2026-03-02T${t}:00`, 'nobody', null));
    const findings = failedLoginBursts([...burst, ...later, ...unknown], p);
    expect(findings.map((f) => f.seqs)).toEqual([burst.map((e) => e.seq), later.map((e) => e.seq)]);
    const withUnknown = failedLoginBursts([...unknown, failure('2026-03-02T09:04:00', 'nobody', null)], p);
    expect(withUnknown).toHaveLength(1);
    expect(withUnknown[0]).toMatchObject({ operatorId: null, message: '用户名“nobody”在2026-03-02 09:00至09:04间登录失败5次' });
  });

  it('counts by the time of the attempt, not by the order of the log', () => {
    const times = ['09:40', '09:00', '09:30', '09:10', '09:20'];
    const shuffled = times.map((t) => failure(`2026-03-02T${t}:00`));
    expect(failedLoginBursts(shuffled, p)[0]!.message).toBe('用户名“teller”在2026-03-02 09:00至09:40间登录失败5次');
  });
});

describe('screening: all rules together', () => {
  it('lists the most severe findings first, then in log order', () => {
    const night = entry('2026-03-02T22:00:00');
    const sod = entry('2026-03-02T10:00:00', { action: 'security.sod_refused' });
    const sunday = entry('2026-03-08T10:00:00', { operatorId: 'op-li' });
    expect(screenAuditLog([night, sod, sunday]).map((f) => [f.rule, f.severity])).toEqual([
      ['sod_attempt', 'high'],
      ['off_hours', 'medium'],
      ['off_hours', 'low'],
    ]);
  });
});
