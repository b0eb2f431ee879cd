import { pinyin } from 'pinyin-pro';

/** Lower-case pinyin initials of a name (王小明 → wxm), for search by initials. Latin letters are kept. */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .replace(/[^a-z]/gi, '')
    .toLowerCase();
}
