/**
 * The geometry of straightening and cropping a page before it is filed (PageEditor): pure arithmetic, so it is tested
 * on its own; the canvas only draws what this computes. Angles are in degrees, clockwise (the canvas's y points down).
 */

export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  x: number;
  y: number;
}

export interface Point {
  x: number;
  y: number;
}

/** What the teller did to a page: quarter turns, a fine straightening angle, and the crop in rotated-picture pixels. */
export interface PageEdit {
  quarterTurns: 0 | 1 | 2 | 3;
  fineAngle: number;
  crop: Rect;
}

/** Straightening goes no further than this either way; beyond it the page wants a quarter turn. */
export const FINE_ANGLE_LIMIT = 15;
/** A crop keeps at least this many pixels each way, so a slip of the mouse never files an empty page. */
export const MIN_CROP = 32;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A fine angle within the limit, to a tenth of a degree. */
export const clampFineAngle = (degrees: number): number => clamp(Math.round(degrees * 10) / 10, -FINE_ANGLE_LIMIT, FINE_ANGLE_LIMIT);

/** The quarter turns after turning `by` quarters more (−1 left, +1 right). */
export const turn = (quarterTurns: PageEdit['quarterTurns'], by: number) =>
  ((((quarterTurns + by) % 4) + 4) % 4) as PageEdit['quarterTurns'];

export const totalAngle = (edit: Pick<PageEdit, 'quarterTurns' | 'fineAngle'>) => edit.quarterTurns * 90 + edit.fineAngle;

const radians = (degrees: number) => (degrees * Math.PI) / 180;
// cos(90°) is 6e-17, not 0: rounded away so a quarter turn swaps the sides exactly.
const trig = (degrees: number) => {
  const r = radians(degrees);
  return { sin: Math.abs(Math.round(Math.sin(r) * 1e12) / 1e12), cos: Math.abs(Math.round(Math.cos(r) * 1e12) / 1e12) };
};

/** The whole-pixel box a picture fills once rotated by `degrees`. */
export function rotatedBounds(size: Size, degrees: number): Size {
  const { sin, cos } = trig(degrees);
  return {
    width: Math.round(size.width * cos + size.height * sin),
    height: Math.round(size.width * sin + size.height * cos),
  };
}

/**
 * The largest upright rectangle inside the picture after a fine rotation, centred in the rotated box: the default crop
 * after straightening, so no blank corners get filed.
 */
export function straightenedCrop(size: Size, degrees: number): Rect {
  const bounds = rotatedBounds(size, degrees);
  const { sin, cos } = trig(degrees);
  const { width: w, height: h } = size;
  let inner: Size;
  if (sin === 0) inner = { width: w, height: h };
  else {
    const long = Math.max(w, h);
    const short = Math.min(w, h);
    if (short <= 2 * sin * cos * long || Math.abs(sin - cos) < 1e-10) {
      // Half-constrained: two corners of the rectangle touch the longer sides.
      const x = short / 2;
      inner = w >= h ? { width: x / sin, height: x / cos } : { width: x / cos, height: x / sin };
    } else {
      const cos2 = cos * cos - sin * sin;
      inner = { width: (w * cos - h * sin) / cos2, height: (h * cos - w * sin) / cos2 };
    }
  }
  const width = Math.min(bounds.width, Math.floor(inner.width));
  const height = Math.min(bounds.height, Math.floor(inner.height));
  return { x: Math.floor((bounds.width - width) / 2), y: Math.floor((bounds.height - height) / 2), width, height };
}

/** The crop a page starts with after a (re)rotation: all of it when upright, the inner rectangle when straightened. */
export function defaultCrop(size: Size, edit: Pick<PageEdit, 'quarterTurns' | 'fineAngle'>): Rect {
  const turned = rotatedBounds(size, edit.quarterTurns * 90);
  const inner = straightenedCrop(turned, edit.fineAngle);
  // Whole pixels of the fine rotation's box, which may round one pixel off the turned box.
  const bounds = rotatedBounds(size, totalAngle(edit));
  return clampRect(inner, bounds);
}

/** Whether filing this edit would change the picture at all. */
export function isUnedited(size: Size, edit: PageEdit): boolean {
  const { crop } = edit;
  return (
    edit.quarterTurns === 0 &&
    edit.fineAngle === 0 &&
    crop.x === 0 &&
    crop.y === 0 &&
    crop.width === size.width &&
    crop.height === size.height
  );
}

/** The scale at which a picture fits a box on screen, never enlarged. */
export const fitScale = (size: Size, box: Size): number => Math.min(1, box.width / size.width, box.height / size.height);

/** A rectangle kept inside `bounds`, in whole pixels, at least MIN_CROP (or the bounds, if smaller) each way. */
export function clampRect(rect: Rect, bounds: Size): Rect {
  const width = clamp(Math.round(rect.width), Math.min(MIN_CROP, bounds.width), bounds.width);
  const height = clamp(Math.round(rect.height), Math.min(MIN_CROP, bounds.height), bounds.height);
  return { x: clamp(Math.round(rect.x), 0, bounds.width - width), y: clamp(Math.round(rect.y), 0, bounds.height - height), width, height };
}

/** A rectangle on screen (display pixels at `scale`) as whole pixels of the picture, inside it. */
export function toImageRect(display: Rect, scale: number, bounds: Size): Rect {
  return clampRect({ x: display.x / scale, y: display.y / scale, width: display.width / scale, height: display.height / scale }, bounds);
}

/** A picture rectangle as drawn on screen. */
export const toDisplayRect = (rect: Rect, scale: number): Rect => ({
  x: rect.x * scale,
  y: rect.y * scale,
  width: rect.width * scale,
  height: rect.height * scale,
});

/** Where a crop drag started: on an edge or corner handle, inside the rectangle (move), or outside it (a new one). */
export type DragHandle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw' | 'move' | 'new';

/**
 * The crop after dragging from `from` to `to` (both in picture pixels) starting on `handle` of `start`. Edges stop at
 * the picture and at MIN_CROP; a move keeps the size; a new rectangle spans the two points.
 */
export function dragCrop(start: Rect, handle: DragHandle, from: Point, to: Point, bounds: Size): Rect {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (handle === 'move') return clampRect({ ...start, x: start.x + dx, y: start.y + dy }, bounds);
  if (handle === 'new') {
    const a = { x: clamp(from.x, 0, bounds.width), y: clamp(from.y, 0, bounds.height) };
    const b = { x: clamp(to.x, 0, bounds.width), y: clamp(to.y, 0, bounds.height) };
    return clampRect({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) }, bounds);
  }
  const min = (side: number) => Math.min(MIN_CROP, side);
  let left = start.x;
  let top = start.y;
  let right = start.x + start.width;
  let bottom = start.y + start.height;
  if (handle.includes('w')) left = clamp(left + dx, 0, right - min(bounds.width));
  if (handle.includes('e')) right = clamp(right + dx, left + min(bounds.width), bounds.width);
  if (handle.includes('n')) top = clamp(top + dy, 0, bottom - min(bounds.height));
  if (handle.includes('s')) bottom = clamp(bottom + dy, top + min(bounds.height), bounds.height);
  return clampRect({ x: left, y: top, width: right - left, height: bottom - top }, bounds);
}
