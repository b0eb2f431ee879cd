/**
 * Masking (脱敏) of personal data on screens, hall displays, receipts and logs: only the part needed to recognise
 * the person stays visible. Each hidden character becomes one "*", so the printed length still matches the value.
 */
const MASK = '*';

/**
 * Keeps `keepStart` leading and `keepEnd` trailing characters and hides the rest. A value too short to hide
 * anything that way is hidden completely rather than shown in full.
 */
export function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const characters = [...value];
  if (characters.length <= keepStart + keepEnd) return MASK.repeat(characters.length);
  return characters.map((ch, i) => (i < keepStart || i >= characters.length - keepEnd ? ch : MASK)).join('');
}

/** ID and social security numbers: first 4 (province and city) and last 4 kept, e.g. 5111**********1234. */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber.trim(), 4, 4);
}

/** Two-character family names, so 欧阳修 shows as 欧阳* rather than 欧**. */
const COMPOUND_FAMILY_NAMES = new Set([
  '欧阳',
  '上官',
  '司马',
  '东方',
  '独孤',
  '南宫',
  '万俟',
  '闻人',
  '夏侯',
  '诸葛',
  '尉迟',
  '公羊',
  '赫连',
  '澹台',
  '皇甫',
  '宗政',
  '濮阳',
  '公冶',
  '太叔',
  '申屠',
  '公孙',
  '慕容',
  '仲孙',
  '钟离',
  '长孙',
  '宇文',
  '司徒',
  '鲜于',
  '司空',
  '闾丘',
  '子车',
  '亓官',
  '司寇',
  '巫马',
  '公西',
  '颛孙',
  '壤驷',
  '公良',
  '漆雕',
  '乐正',
  '宰父',
  '谷梁',
  '拓跋',
  '夹谷',
  '轩辕',
  '令狐',
  '段干',
  '百里',
  '呼延',
  '东郭',
  '南门',
  '羊舌',
  '微生',
  '梁丘',
  '左丘',
  '西门',
  '第五',
  '端木',
  '太史',
]);

/** Separators inside names that are kept visible: the middle dot of transliterated names, spaces, commas. */
const NAME_SEPARATOR = /[·•・.\s,，-]/;

/**
 * Names: the family name stays, every other letter is hidden (张三丰 → 张**). Latin-script names (foreign permanent
 * residents) are written family name first on the card, so their first word stays.
 */
export function maskName(name: string): string {
  const characters = [...name.trim()];
  let keep: number;
  if (characters.some((ch) => /[A-Za-z]/.test(ch))) {
    const firstSeparator = characters.findIndex((ch) => NAME_SEPARATOR.test(ch));
    keep = firstSeparator < 0 ? 1 : firstSeparator;
  } else {
    const isCompound = characters.length > 2 && COMPOUND_FAMILY_NAMES.has(characters.slice(0, 2).join(''));
    keep = isCompound ? 2 : 1;
  }
  return characters.map((ch, i) => (i < keep || NAME_SEPARATOR.test(ch) ? ch : MASK)).join('');
}

/**
 * Phone numbers: the middle four digits hidden (138****5678; landline 0833****4567). Separators and a leading "+"
 * stay where they are; only digits are counted and hidden.
 */
export function maskPhone(phone: string): string {
  const characters = [...phone.trim()];
  const digitCount = characters.filter((ch) => /\d/.test(ch)).length;
  const hideFrom = digitCount < 4 ? 0 : Math.floor((digitCount - 4) / 2);
  const hideTo = digitCount < 4 ? digitCount : hideFrom + 4;
  let digitIndex = 0;
  return characters
    .map((ch) => {
      if (!/\d/.test(ch)) return ch;
      const hidden = digitIndex >= hideFrom && digitIndex < hideTo;
      digitIndex += 1;
      return hidden ? MASK : ch;
    })
    .join('');
}
