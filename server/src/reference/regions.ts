import { regionSpecificity } from '#shared/domain/region';

/** The region itself and every region that covers it, nation first: 330106 → 000000, 330000, 330100, 330106. */
export function coveringRegions(region: string): string[] {
  const digits = regionSpecificity(region);
  const chain = ['000000'];
  for (const n of [2, 4, 6]) if (n <= digits) chain.push(region.slice(0, n).padEnd(6, '0'));
  return [...new Set(chain)];
}
