import { z } from 'zod';

/**
 * How a computed amount (an exact fraction of a fen) becomes whole fen. No national rule exists; cities differ
 * (Shanghai rounds contributions by 见分进角), so the mode is a parameter and its label is printed on receipts.
 * - half_up_fen: 四舍五入到分, the default everywhere else in the app.
 * - half_up_jiao: 四舍五入到角, straight from the exact value.
 * - up_to_jiao: 见分进角: the amount is first rounded half up to the fen, then any non-zero fen lifts it to the
 *   next jiao (547.49 → 547.50; 27.40 stays).
 * Negative values round symmetrically (the magnitude is rounded, the sign kept), so a reversal mirrors its original.
 */
export const ROUNDING_MODES = ['half_up_fen', 'half_up_jiao', 'up_to_jiao'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export const ROUNDING_MODE_LABELS: Readonly<Record<RoundingMode, string>> = {
  half_up_fen: '四舍五入到分',
  half_up_jiao: '四舍五入到角',
  up_to_jiao: '见分进角',
};

export const roundingModeSchema = z.enum(ROUNDING_MODES, { error: '舍入方式只能是：四舍五入到分、四舍五入到角、见分进角' });

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** round(n / d) half up, for n ≥ 0 and d > 0, in exact integer arithmetic: ⌊(2n + d) / 2d⌋. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The fraction numerator/denominator of a fen, rounded to whole fen by `mode`. */
export function divideToFen(numerator: bigint, denominator: bigint, mode: RoundingMode = 'half_up_fen'): number {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let fen: bigint;
  switch (mode) {
    case 'half_up_fen':
      fen = divideHalfUp(magnitude, denominator);
      break;
    case 'half_up_jiao':
      fen = divideHalfUp(magnitude, denominator * 10n) * 10n;
      break;
    case 'up_to_jiao': {
      const toFen = divideHalfUp(magnitude, denominator);
      fen = ((toFen + 9n) / 10n) * 10n;
      break;
    }
  }
  if (fen > MAX_FEN) throw new RangeError('amount exceeds the largest exact number of fen');
  return Number(negative ? -fen : fen);
}

/** amount × ppm / 10⁶, rounded by `mode`; the product is formed in BigInt because it can exceed 2^53. */
export function applyPpm(fen: number, ppm: number, mode: RoundingMode = 'half_up_fen'): number {
  return divideToFen(BigInt(fen) * BigInt(ppm), 1_000_000n, mode);
}
