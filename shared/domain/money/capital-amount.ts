import type { Fen } from './fen';

/**
 * Chinese capital amount (中文大写金额) for receipts, following 《正确填写票据和结算凭证的基本规定》:
 * - digits 零壹贰叁肆伍陆柒捌玖 with units 拾佰仟 inside each four-digit group and 万, 亿 between groups;
 *   壹拾 is always written in full ("壹拾陆元整", never "拾陆元");
 * - a run of zeros inside the yuan part is written as one 零 (壹仟零伍元, 壹拾万零柒仟元), zeros at the end of a
 *   group are not written (壹拾万元);
 * - when the jiao digit is zero but there are fen, 零 follows 元 (叁佰贰拾伍元零肆分); when the yuan digit alone is
 *   zero the rules allow leaving 零 out, which is the form used here (壹仟陆佰捌拾元叁角贰分);
 * - 整 closes an amount without fen (壹佰元整, 壹佰元伍角整); none after 分; below one yuan only 角 and 分 are
 *   written (伍角陆分); zero is 零元整; a negative amount is prefixed 负.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const UNITS_IN_GROUP = ['', '拾', '佰', '仟'];

function yuanInCapitals(yuan: number): string {
  const digits = String(yuan);
  let text = '';
  let zeroPending = false;
  let groupHasDigit = false;
  for (let i = 0; i < digits.length; i += 1) {
    const place = digits.length - 1 - i;
    const digit = Number(digits[i]);
    if (digit === 0) {
      zeroPending = text !== '';
    } else {
      if (zeroPending) text += '零';
      zeroPending = false;
      text += (DIGITS[digit] ?? '') + (UNITS_IN_GROUP[place % 4] ?? '');
      groupHasDigit = true;
    }
    // 万 closes a non-empty group of four (also the 万 of 万亿); 亿 closes everything above it, so
    // 1,0002,0000,0000 is 壹万零贰亿 and 1,0000,0000,0000 is 壹万亿.
    if (place === 8 && text !== '') text += '亿';
    else if (place % 4 === 0 && place > 0 && groupHasDigit) text += '万';
    if (place % 4 === 0) groupHasDigit = false;
  }
  return text;
}

export function toCapitalAmount(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an exact amount of fen: ${fen}`);
  if (fen < 0) return `负${toCapitalAmount(-fen)}`;
  // Remainders only: exact for every safe integer.
  const cents = fen % 10;
  const jiao = ((fen - cents) / 10) % 10;
  const yuan = (fen - (fen % 100)) / 100;
  if (fen === 0) return '零元整';
  let text = yuan > 0 ? `${yuanInCapitals(yuan)}元` : '';
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  else if (cents > 0 && yuan > 0) text += '零';
  return cents > 0 ? `${text}${DIGITS[cents]}分` : `${text}整`;
}
