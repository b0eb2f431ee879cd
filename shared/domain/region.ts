import { z } from 'zod';

/**
 * Administrative region codes (GB/T 2260): two digits of province, two of city, two of county. A code ending in
 * 0000 stands for a whole province, one ending in 00 for a whole city; 000000 stands for "everywhere", as the
 * national default catalogue does.
 */
export const regionCodeSchema = z
  .string({ error: '地区代码必须是文本' })
  .regex(/^\d{6}$/, { error: '地区代码应为6位行政区划代码（如 511100）' });

/** How many leading digits a code pins: 0 (national), 2 (province), 4 (city) or 6 (county). */
export function regionSpecificity(region: string): number {
  if (region === '000000') return 0;
  if (region.endsWith('0000')) return 2;
  return region.endsWith('00') ? 4 : 6;
}

/** True when `region` lies inside `area` (or is it). */
export function regionCovers(area: string, region: string): boolean {
  const digits = regionSpecificity(area);
  return region.slice(0, digits) === area.slice(0, digits);
}
