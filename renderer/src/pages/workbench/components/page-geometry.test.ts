import { describe, expect, it } from 'vitest';
import {
  clampFineAngle,
  clampRect,
  defaultCrop,
  dragCrop,
  fitScale,
  isUnedited,
  MIN_CROP,
  rotatedBounds,
  straightenedCrop,
  toDisplayRect,
  toImageRect,
  turn,
} from './page-geometry';

const A4 = { width: 1240, height: 1754 };

describe('rotation', () => {
  it('swaps the sides on a quarter turn and grows the box on a fine angle', () => {
    expect(rotatedBounds(A4, 0)).toEqual(A4);
    expect(rotatedBounds(A4, 90)).toEqual({ width: 1754, height: 1240 });
    expect(rotatedBounds(A4, 180)).toEqual(A4);
    expect(rotatedBounds(A4, 270)).toEqual({ width: 1754, height: 1240 });
    // 1240·cos10° + 1754·sin10° = 1221.2 + 304.6
    expect(rotatedBounds(A4, 10)).toEqual({ width: 1526, height: 1943 });
    expect(rotatedBounds(A4, -10)).toEqual(rotatedBounds(A4, 10));
    expect(rotatedBounds(A4, 100)).toEqual({ width: 1943, height: 1526 });
  });

  it('turns left and right through four quarters, and keeps the fine angle within ±15° in tenths', () => {
    expect(turn(0, -1)).toBe(3);
    expect(turn(3, 1)).toBe(0);
    expect(turn(1, 1)).toBe(2);
    expect(clampFineAngle(2.345)).toBe(2.3);
    expect(clampFineAngle(-20)).toBe(-15);
    expect(clampFineAngle(15.04)).toBe(15);
  });

  it('crops a straightened page to the largest upright rectangle inside it, centred', () => {
    expect(straightenedCrop(A4, 0)).toEqual({ x: 0, y: 0, ...A4 });
    const crop = straightenedCrop(A4, 5);
    const bounds = rotatedBounds(A4, 5);
    // Smaller than the page, centred in the rotated box, and every corner inside the rotated page.
    expect(crop.width).toBeLessThan(A4.width);
    expect(crop.height).toBeLessThan(A4.height);
    expect(Math.abs(crop.x * 2 + crop.width - bounds.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(crop.y * 2 + crop.height - bounds.height)).toBeLessThanOrEqual(1);
    const r = (-5 * Math.PI) / 180;
    for (const [cx, cy] of [
      [crop.x, crop.y],
      [crop.x + crop.width, crop.y],
      [crop.x, crop.y + crop.height],
      [crop.x + crop.width, crop.y + crop.height],
    ] as const) {
      // Back into the unrotated page's coordinates around its centre.
      const dx = cx - bounds.width / 2;
      const dy = cy - bounds.height / 2;
      const u = dx * Math.cos(r) - dy * Math.sin(r);
      const v = dx * Math.sin(r) + dy * Math.cos(r);
      expect(Math.abs(u)).toBeLessThanOrEqual(A4.width / 2 + 0.5);
      expect(Math.abs(v)).toBeLessThanOrEqual(A4.height / 2 + 0.5);
    }
    // A long thin strip is limited by its short side.
    expect(straightenedCrop({ width: 2000, height: 100 }, 15).height).toBeLessThan(100);
  });

  it('starts every rotation with a crop of the whole turned page, or its inner rectangle when straightened', () => {
    expect(defaultCrop(A4, { quarterTurns: 1, fineAngle: 0 })).toEqual({ x: 0, y: 0, width: 1754, height: 1240 });
    const straightened = defaultCrop(A4, { quarterTurns: 1, fineAngle: -3 });
    expect(straightened.width).toBeLessThan(1754);
    expect(straightened.x + straightened.width).toBeLessThanOrEqual(rotatedBounds(A4, 87).width);
  });

  it('knows an untouched page from an edited one', () => {
    const whole = { x: 0, y: 0, ...A4 };
    expect(isUnedited(A4, { quarterTurns: 0, fineAngle: 0, crop: whole })).toBe(true);
    expect(isUnedited(A4, { quarterTurns: 2, fineAngle: 0, crop: whole })).toBe(false);
    expect(isUnedited(A4, { quarterTurns: 0, fineAngle: 0.1, crop: whole })).toBe(false);
    expect(isUnedited(A4, { quarterTurns: 0, fineAngle: 0, crop: { ...whole, width: 1000 } })).toBe(false);
  });
});

describe('crop on screen and in the picture', () => {
  const bounds = { width: 1754, height: 1240 };

  it('maps a rectangle drawn on the scaled picture to whole picture pixels, inside the picture', () => {
    const scale = fitScale(bounds, { width: 640, height: 460 });
    expect(scale).toBeCloseTo(640 / 1754);
    expect(fitScale({ width: 300, height: 200 }, { width: 640, height: 460 })).toBe(1);
    expect(toImageRect({ x: 46, y: 23, width: 230, height: 115 }, 0.5, bounds)).toEqual({ x: 92, y: 46, width: 460, height: 230 });
    // Dragged past the edge of the picture: stops at it.
    expect(toImageRect({ x: -10, y: 600, width: 100, height: 100 }, 0.5, bounds)).toEqual({ x: 0, y: 1040, width: 200, height: 200 });
    expect(toDisplayRect({ x: 92, y: 46, width: 460, height: 230 }, 0.5)).toEqual({ x: 46, y: 23, width: 230, height: 115 });
  });

  it('never makes a crop smaller than the minimum or larger than the picture', () => {
    expect(clampRect({ x: 10, y: 10, width: 3, height: 2 }, bounds)).toEqual({ x: 10, y: 10, width: MIN_CROP, height: MIN_CROP });
    expect(clampRect({ x: -5, y: 0, width: 9999, height: 10 }, bounds)).toEqual({ x: 0, y: 0, width: 1754, height: MIN_CROP });
    expect(clampRect({ x: 0, y: 0, width: 100, height: 100 }, { width: 20, height: 20 })).toEqual({ x: 0, y: 0, width: 20, height: 20 });
  });

  it('moves an edge or corner with its handle, stopping at the picture and the minimum size', () => {
    const start = { x: 100, y: 100, width: 400, height: 300 };
    expect(dragCrop(start, 'nw', { x: 100, y: 100 }, { x: 150, y: 130 }, bounds)).toEqual({ x: 150, y: 130, width: 350, height: 270 });
    expect(dragCrop(start, 'e', { x: 500, y: 200 }, { x: 600, y: 900 }, bounds)).toEqual({ x: 100, y: 100, width: 500, height: 300 });
    expect(dragCrop(start, 's', { x: 0, y: 400 }, { x: 0, y: 5000 }, bounds)).toEqual({ x: 100, y: 100, width: 400, height: 1140 });
    // Dragged across the opposite edge: stops at the minimum size rather than turning inside out.
    expect(dragCrop(start, 'w', { x: 100, y: 0 }, { x: 900, y: 0 }, bounds)).toEqual({
      x: 500 - MIN_CROP,
      y: 100,
      width: MIN_CROP,
      height: 300,
    });
  });

  it('moves the whole crop without changing its size, and draws a new one between two points', () => {
    const start = { x: 100, y: 100, width: 400, height: 300 };
    expect(dragCrop(start, 'move', { x: 200, y: 200 }, { x: 250, y: 180 }, bounds)).toEqual({ x: 150, y: 80, width: 400, height: 300 });
    expect(dragCrop(start, 'move', { x: 200, y: 200 }, { x: 5000, y: 5000 }, bounds)).toEqual({ x: 1354, y: 940, width: 400, height: 300 });
    expect(dragCrop(start, 'new', { x: 800, y: 900 }, { x: 600, y: 2000 }, bounds)).toEqual({ x: 600, y: 900, width: 200, height: 340 });
  });
});
