import { existsSync } from 'node:fs';

import { GlobalFonts } from '@napi-rs/canvas';

const FAMILY = 'YichuangTicketCJK';

// Where CJK fonts usually are: Debian/Ubuntu fonts-noto-cjk, Fedora/Arch Noto, WenQuanYi, Windows, macOS.
const knownPaths = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  'C:\\Windows\\Fonts\\msyh.ttc',
  'C:\\Windows\\Fonts\\simhei.ttf',
  'C:\\Windows\\Fonts\\simsun.ttc',
  '/System/Library/Fonts/PingFang.ttc',
  '/System/Library/Fonts/STHeiti Medium.ttc',
];

const systemCjkFamily = /CJK|YaHei|SimHei|SimSun|PingFang|Heiti|WenQuanYi|Source Han/i;

let found: string | undefined;

/**
 * A font family that can draw hanzi: the first of `preferredPaths` or the known paths that exists,
 * else a CJK family the canvas found on the system. Null when there is none; the ticket is then
 * drawn with the default font (hanzi may show as boxes, nothing fails).
 */
export function cjkFontFamily(preferredPaths: readonly string[] = []): string | null {
  if (found) return found;
  for (const path of [...preferredPaths, ...knownPaths]) {
    if (existsSync(path) && GlobalFonts.registerFromPath(path, FAMILY)) {
      found = FAMILY;
      return found;
    }
  }
  found = GlobalFonts.families.find((f) => systemCjkFamily.test(f.family))?.family;
  return found ?? null;
}
