import { existsSync } from 'node:fs';

import { GlobalFonts } from '@napi-rs/canvas';
import { CJK_FONT_PATHS } from '../../platform/cjk-fonts';

const FAMILY = 'YichuangTicketCJK';

const systemCjkFamily = /CJK|YaHei|SimHei|SimSun|PingFang|Heiti|WenQuanYi|Source Han/i;

let found: string | undefined;

/**
 * A font family that can draw hanzi: the first of `preferredPaths` or the known paths that exists,
 * else a CJK family the canvas found on the system. Null when there is none; the ticket is then
 * drawn with the default font (hanzi may show as boxes, nothing fails).
 */
export function cjkFontFamily(preferredPaths: readonly string[] = []): string | null {
  if (found) return found;
  for (const path of [...preferredPaths, ...CJK_FONT_PATHS]) {
    if (existsSync(path) && GlobalFonts.registerFromPath(path, FAMILY)) {
      found = FAMILY;
      return found;
    }
  }
  found = GlobalFonts.families.find((f) => systemCjkFamily.test(f.family))?.family;
  return found ?? null;
}
