import { z } from 'zod';

/**
 * Rates are integer parts per million (16% = 160000, 0.05% = 500), so every published rate, including banded
 * work-injury rates such as 0.45%, is held exactly and multiplies integer fen without floating point.
 */
export const PPM_PER_UNIT = 1_000_000;

export const ppmSchema = z
  .int({ error: '费率必须是以百万分之一为单位的整数' })
  .min(0, { error: '费率不能为负数' })
  .max(PPM_PER_UNIT, { error: '费率不能超过100%' });

/** 160000 → "16%", 4500 → "0.45%", 500 → "0.05%": the exact decimal, as printed on receipts. */
export function formatPpm(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction === '' ? `${whole}%` : `${whole}.${fraction}%`;
}
