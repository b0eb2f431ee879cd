import { describe, expect, it } from 'vitest';
import { WORK_INJURY_BASE_RATE_PPM, WORK_INJURY_RISK_CLASSES, allowedWorkInjuryBands, workInjuryRatePpm } from './work-injury';
import { formatPpm } from './ppm';

describe('work-injury rate by industry risk class (人社部发〔2015〕71号)', () => {
  it('has the eight published base rates', () => {
    expect(WORK_INJURY_RISK_CLASSES.map((c) => formatPpm(WORK_INJURY_BASE_RATE_PPM[c]))).toEqual([
      '0.2%',
      '0.4%',
      '0.7%',
      '0.9%',
      '1.1%',
      '1.3%',
      '1.6%',
      '1.9%',
    ]);
  });

  it('applies the floating bands exactly', () => {
    expect(workInjuryRatePpm(4, 50)).toEqual({ ok: true, value: 4500 });
    expect(workInjuryRatePpm(1, 150)).toEqual({ ok: true, value: 3000 });
    expect(workInjuryRatePpm(8, 120)).toEqual({ ok: true, value: 22800 });
    expect(workInjuryRatePpm(2)).toEqual({ ok: true, value: 4000 });
    for (const riskClass of WORK_INJURY_RISK_CLASSES) {
      for (const band of allowedWorkInjuryBands(riskClass)) {
        const result = workInjuryRatePpm(riskClass, band);
        expect(result.ok && result.value * 100).toBe(WORK_INJURY_BASE_RATE_PPM[riskClass] * band);
        expect(result.ok && Number.isInteger(result.value)).toBe(true);
      }
    }
  });

  it('refuses a class or band that does not exist', () => {
    const downward = workInjuryRatePpm(1, 80);
    expect(downward).toMatchObject({ ok: false, reason: 'band' });
    expect(!downward.ok && downward.message).toBe('1类行业的浮动档次只能是基准费率的100%、120%、150%，当前为80%');
    expect(workInjuryRatePpm(9)).toMatchObject({ ok: false, reason: 'risk_class' });
    expect(workInjuryRatePpm(3, 110)).toMatchObject({ ok: false, reason: 'band' });
  });
});
