import { existsSync } from 'node:fs';

/** Where CJK fonts usually are: Debian/Ubuntu fonts-noto-cjk, Fedora/Arch Noto, WenQuanYi, Windows, macOS. */
export const CJK_FONT_PATHS: readonly string[] = [
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

/** The first CJK font file present on this machine, if any. */
export function findCjkFont(preferred: readonly string[] = []): string | undefined {
  return [...preferred, ...CJK_FONT_PATHS].find((p) => existsSync(p));
}
