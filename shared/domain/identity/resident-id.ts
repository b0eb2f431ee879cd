import { formatBusinessDate, isRealDate, type BusinessDate } from '../calendar/dates';
import { fail, ok, schemaFromValidator, type Result } from '../result';
import { positionLabel, toHalfWidth } from '../text/user-input';

/**
 * Citizen identity number (公民身份号码, GB 11643-1999): 6-digit address code (GB/T 2260), 8-digit birth date,
 * 3-digit sequence (odd 17th digit = male), and an ISO 7064 MOD 11-2 check character. The social security number
 * is this same number (社会保险法 art. 58), so this module validates both. Residence permits for Hong Kong, Macao
 * and Taiwan residents (address code 810000/820000/830000) and the 2023 foreign permanent residence ID (first
 * digit 9) use the same structure and check; the 2017 foreign permanent residence ID (3 letters + 12 digits) is
 * recognised by its shape.
 */

/** Weights 2^(17−i) mod 11 for positions 1–17. */
export const ID_CHECK_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by (Σ digit × weight) mod 11. */
const ID_CHECK_CHARACTERS = '10X98765432';

/** GB/T 2260 province-level codes; 83 is the address code the Taiwan residents' residence permit uses. */
export const PROVINCE_NAMES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
  '83': '台湾地区（居住证）',
};

const RESIDENCE_PERMIT_ADDRESS_CODES = new Set(['810000', '820000', '830000']);
/** The earliest century GB 11643 birth dates can carry (its century digits are 18, 19 or 20). */
const EARLIEST_BIRTH_YEAR = 1800;

export type IdNumberKind = 'resident_id' | 'hmt_residence_permit' | 'foreign_permanent_residence' | 'foreign_permanent_residence_2017';

export const ID_NUMBER_KIND_LABELS: Readonly<Record<IdNumberKind, string>> = {
  resident_id: '居民身份证',
  hmt_residence_permit: '港澳台居民居住证',
  foreign_permanent_residence: '外国人永久居留身份证',
  foreign_permanent_residence_2017: '外国人永久居留身份证（2017版）',
};

export type Sex = 'male' | 'female';

/** An 18-digit number with the GB 11643 structure (citizen ID, residence permit or 2023 permanent residence ID). */
export interface StructuredIdNumber {
  readonly kind: Exclude<IdNumberKind, 'foreign_permanent_residence_2017'>;
  readonly idNumber: string;
  readonly birthDate: BusinessDate;
  readonly sex: Sex;
  /** Six-digit address code; for a permanent residence ID the issuing province followed by 0000. */
  readonly regionCode: string;
  /** Three-digit nationality code of a permanent residence ID, otherwise null. */
  readonly nationalityCode: string | null;
  /** The 15-digit number the teller typed when it was upgraded, otherwise null. */
  readonly upgradedFrom: string | null;
}

/** 2017 permanent residence ID: ISO 3166 alpha-3 nationality + 12 digits. Recognised, not decoded further. */
export interface LegacyForeignIdNumber {
  readonly kind: 'foreign_permanent_residence_2017';
  readonly idNumber: string;
  readonly nationalityCode: string;
}

export type IdNumberInfo = StructuredIdNumber | LegacyForeignIdNumber;

export type IdNumberRejection = 'empty' | 'length' | 'characters' | 'region' | 'date' | 'check_digit';

export interface IdNumberOptions {
  /** The station's business date; when given, a birth date after it is rejected. */
  readonly today?: BusinessDate;
}

/** Check character for the first 17 digits. */
export function idCheckCharacter(body: string): string {
  if (!/^\d{17}$/.test(body)) throw new RangeError('the check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body[i]) * (ID_CHECK_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARACTERS.charAt(sum % 11);
}

/** 15-digit numbers (issued before 1999) lack the century and the check character: insert "19", append the check. */
export function upgradeLegacyIdNumber(legacy: string): string {
  if (!/^\d{15}$/.test(legacy)) throw new RangeError('a legacy ID number has exactly 15 digits');
  const body = `${legacy.slice(0, 6)}19${legacy.slice(6)}`;
  return body + idCheckCharacter(body);
}

/** What a teller types or a reader sends: full-width digits folded, spaces dropped, a lower-case x raised. */
export function normalizeIdNumber(input: string): string {
  return toHalfWidth(input).replace(/\s+/g, '').toUpperCase();
}

export function validateIdNumber(input: string, options: IdNumberOptions = {}): Result<IdNumberInfo, IdNumberRejection> {
  const text = normalizeIdNumber(input);
  const characters = [...text];
  if (characters.length === 0) return fail('empty', '请输入证件号码');

  if (characters.length === 15) {
    if (/^[A-Z]{3}\d{12}$/.test(text)) {
      return ok({ kind: 'foreign_permanent_residence_2017', idNumber: text, nationalityCode: text.slice(0, 3) });
    }
    const badIndex = characters.findIndex((ch) => !/\d/.test(ch));
    if (badIndex >= 0) {
      return fail('characters', `15位旧身份证号码只能由数字组成，${positionLabel(badIndex)}是“${characters[badIndex]}”`);
    }
    return validateStructured(upgradeLegacyIdNumber(text), text, options);
  }

  if (characters.length !== 18) {
    return fail('length', `证件号码应为18位（旧身份证号码为15位），当前为${characters.length}位`);
  }
  const badIndex = characters.findIndex((ch, i) => !(i < 17 ? /\d/.test(ch) : /[\dX]/.test(ch)));
  if (badIndex === 17) {
    return fail('characters', `第18位是校验码，只能是数字或X，当前是“${characters[17]}”`);
  }
  if (badIndex >= 0) {
    return fail('characters', `证件号码前17位只能是数字，${positionLabel(badIndex)}是“${characters[badIndex]}”`);
  }
  return validateStructured(text, null, options);
}

function validateStructured(
  idNumber: string,
  upgradedFrom: string | null,
  options: IdNumberOptions,
): Result<StructuredIdNumber, IdNumberRejection> {
  const isForeign = idNumber.startsWith('9');
  const province = isForeign ? idNumber.slice(1, 3) : idNumber.slice(0, 2);
  if (PROVINCE_NAMES[province] === undefined) {
    return fail(
      'region',
      isForeign
        ? `外国人永久居留身份证第2–3位应为受理地省级行政区划代码，“${province}”不是有效代码`
        : `证件号码前两位应为省级行政区划代码，“${province}”不是有效代码`,
    );
  }

  const digits = idNumber.slice(6, 14);
  // Name the positions the teller typed: a 15-digit number has its birth date (without century) at 7–12.
  const where = upgradedFrom === null ? '第7–14位' : '第7–12位';
  const [year, month, day] = [Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6, 8))];
  if (!isRealDate(year, month, day)) {
    return fail('date', `出生日期“${digits}”不是日历上存在的日期（${where}）`);
  }
  if (year < EARLIEST_BIRTH_YEAR) {
    return fail('date', `出生日期“${digits}”早于${EARLIEST_BIRTH_YEAR}年，号码有误（${where}）`);
  }
  const birthDate = formatBusinessDate({ year, month, day });
  if (options.today !== undefined && birthDate > options.today) {
    return fail('date', `出生日期${birthDate}晚于今天（${options.today}），号码有误（${where}）`);
  }

  if (idNumber.charAt(17) !== idCheckCharacter(idNumber.slice(0, 17))) {
    return fail('check_digit', '第18位校验码与前17位不符，请逐位核对号码（常见原因：某一位录错或相邻两位颠倒）');
  }

  const addressCode = idNumber.slice(0, 6);
  return ok({
    kind: isForeign
      ? 'foreign_permanent_residence'
      : RESIDENCE_PERMIT_ADDRESS_CODES.has(addressCode)
        ? 'hmt_residence_permit'
        : 'resident_id',
    idNumber,
    birthDate,
    sex: Number(idNumber.charAt(16)) % 2 === 1 ? 'male' : 'female',
    regionCode: isForeign ? `${province}0000` : addressCode,
    nationalityCode: isForeign ? idNumber.slice(3, 6) : null,
    upgradedFrom,
  });
}

/**
 * Zod schema for an ID number crossing a boundary; its output is the normalised number (18 characters, upper-case X,
 * or the 15-character 2017 permanent residence number). Pass the station's business date to also refuse a birth
 * date in the future.
 */
export function idNumberSchemaAsOf(today?: BusinessDate) {
  const options: IdNumberOptions = today === undefined ? {} : { today };
  return schemaFromValidator(
    '证件号码必须是文本',
    (input) => validateIdNumber(input, options),
    (info) => info.idNumber,
  );
}

export const idNumberSchema = idNumberSchemaAsOf();

/** 社会保障号码 is the citizen identity number itself (社会保险法 art. 58), so it is validated the same way. */
export const socialSecurityNumberSchema = idNumberSchema;
