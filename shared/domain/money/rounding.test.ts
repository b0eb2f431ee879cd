import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES, applyPpm, divideToFen } from './rounding';

/** Fractions n/d whose quotient stays within exact fen, with numerators far beyond 2^53. */
const fractions = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 9n }))
  .map(([d, quotient, remainder]) => [quotient * d + (remainder % d), d] as const);

describe('rounding to whole fen', () => {
  it('rounds half up to the fen by default', () => {
    expect(divideToFen(5n, 10n)).toBe(1);
    expect(divideToFen(4n, 10n)).toBe(0);
    expect(divideToFen(15n, 10n)).toBe(2);
    expect(divideToFen(25n, 10n)).toBe(3);
    expect(divideToFen(-15n, 10n)).toBe(-2);
    // E1 of contribution-rules.md: 684357 × 8% = 54748.56 → 54749.
    expect(applyPpm(684357, 80000)).toBe(54749);
  });

  it('rounds by 见分进角 and to the jiao', () => {
    expect(applyPpm(684357, 80000, 'up_to_jiao')).toBe(54750);
    expect(applyPpm(684357, 4000, 'up_to_jiao')).toBe(2740);
    expect(divideToFen(27400n, 10n, 'up_to_jiao')).toBe(2740);
    expect(divideToFen(27410n, 10n, 'up_to_jiao')).toBe(2750);
    // The fen comes first: 2740.4 fen is 2740 fen, which needs no lift.
    expect(divideToFen(27404n, 10n, 'up_to_jiao')).toBe(2740);
    expect(divideToFen(27450n, 10n, 'half_up_jiao')).toBe(2750);
    expect(divideToFen(27449n, 10n, 'half_up_jiao')).toBe(2740);
  });

  it('half up to the fen: the nearest fen, ties going up', () => {
    fc.assert(
      fc.property(fractions, ([n, d]) => {
        const r = BigInt(divideToFen(n, d));
        expect(2n * n >= (2n * r - 1n) * d).toBe(true);
        expect(2n * n < (2n * r + 1n) * d).toBe(true);
      }),
    );
  });

  it('to the jiao: a multiple of ten fen, never below the fen-rounded value for 见分进角, within half a jiao otherwise', () => {
    fc.assert(
      fc.property(fractions, ([n, d]) => {
        const fen = divideToFen(n, d);
        const upToJiao = divideToFen(n, d, 'up_to_jiao');
        expect(upToJiao % 10).toBe(0);
        expect(upToJiao >= fen && upToJiao < fen + 10).toBe(true);
        const halfUpJiao = BigInt(divideToFen(n, d, 'half_up_jiao'));
        expect(halfUpJiao % 10n).toBe(0n);
        expect(2n * n >= (2n * halfUpJiao - 10n) * d && 2n * n < (2n * halfUpJiao + 10n) * d).toBe(true);
      }),
    );
  });

  it('rounds negative amounts symmetrically in every mode', () => {
    fc.assert(
      fc.property(fractions, fc.constantFrom(...ROUNDING_MODES), ([n, d], mode) => {
        expect(divideToFen(-n, d, mode)).toBe(-divideToFen(n, d, mode) || 0);
      }),
    );
  });

  it('multiplies beyond 2^53 without losing a fen', () => {
    // 9,000,000,000,000 fen × 999,999 ppm: the product (≈ 9×10^18) is far beyond 2^53.
    expect(applyPpm(9_000_000_000_000, 999_999)).toBe(8_999_991_000_000);
    expect(() => divideToFen(10n ** 30n, 1n)).toThrow(RangeError);
  });
});
