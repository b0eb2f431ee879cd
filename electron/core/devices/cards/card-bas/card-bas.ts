import { DeviceError } from '../../errors';
import { statusWordError } from '../apdu';
import type { SocialSecurityCardRead } from '../card-read';
import { compactDate } from '../compact-date';
import { identityOf, verifyCardRead } from '../verify-card-read';

// The national reader interface's iReadCardBas output (hardware.md §2): 11 fields separated by '|',
// with a trailing '|'. Return code 0 = success; negative codes per SI_3rdCard; card status words come
// back as −(SW1·256+SW2).

export interface CardBasFields {
  regionCode: string;
  idNumber: string;
  cardNumber: string;
  cardIdentifier: string;
  name: string;
  atrHistory: string;
  specVersion: string;
  issueDate: string;
  expiryDate: string;
  terminalNumber: string;
  terminalDevice: string;
}

const FIELD_ORDER: ReadonlyArray<keyof CardBasFields> = [
  'regionCode',
  'idNumber',
  'cardNumber',
  'cardIdentifier',
  'name',
  'atrHistory',
  'specVersion',
  'issueDate',
  'expiryDate',
  'terminalNumber',
  'terminalDevice',
];

export const CARD_BAS_NO_CARD = -2;

const returnCodeMessages: Record<number, string> = {
  [-1]: '卡类型不对',
  [-2]: '未插卡',
  [-3]: '有卡但未上电',
  [-4]: '卡片无应答',
  [-5]: '读卡动态库加载失败',
  [-11]: '读卡器连接错误',
  [-12]: '未建立读卡器连接',
  [-13]: '读卡器不支持该命令',
  [-14]: '命令参数错误',
  [-15]: '读卡器信息校验和出错',
  [-20]: '卡识别码格式错误',
  [-21]: '内部认证失败',
  [-22]: '传入数据与卡内数据不一致',
  [-23]: '传入数据不合法',
  [-24]: 'PSAM卡密钥级别不够',
  [-25]: '加密机认证与内部认证不一致',
  [-51]: '密码错误',
  [-52]: '密码已锁定',
  [-2201]: '未检测到PSAM卡，无法读取该社保卡',
  [-2202]: 'PSAM卡缺少SSF33/SM4密钥，无法读取该社保卡',
  [-2203]: '该卡为社保卡3.0，PSAM卡缺少RKSSSE密钥，需通过加密机认证后读取',
};

/** Codes that mean the card needs the PSAM/HSM path rather than a retry. */
const authCodes = new Set([-24, -2201, -2202, -2203]);
const offlineCodes = new Set([-5, -11, -12]);

/** A non-zero return code as a typed error (−2, no card, is not an error: callers check it first). */
export function cardBasError(code: number): DeviceError {
  if (code <= -0x6000 && code >= -0xffff) return statusWordError(-code);
  const message = returnCodeMessages[code] ?? (code <= -31 && code >= -42 ? '密码键盘或操作数错误' : `读卡失败（返回码 ${code}）`);
  const detail = { returnCode: code };
  if (authCodes.has(code)) return new DeviceError('DEVICE_AUTH_REQUIRED', message, { detail });
  if (offlineCodes.has(code)) return new DeviceError('DEVICE_OFFLINE', message, { detail });
  return new DeviceError('DEVICE_CARD_ERROR', message, { detail });
}

/** The two terminal fields may be left out: the public example stops after 卡有效期. */
const MIN_FIELDS = FIELD_ORDER.length - 2;

export function parseCardBas(output: string): CardBasFields {
  const parts = output.replace(/\|$/, '').split('|');
  if (parts.length < MIN_FIELDS || parts.length > FIELD_ORDER.length) {
    throw new DeviceError('DEVICE_BAD_FRAME', '读卡库返回的数据格式错误', { detail: { fields: parts.length } });
  }
  const fields = {} as CardBasFields;
  FIELD_ORDER.forEach((key, i) => {
    fields[key] = (parts[i] ?? '').trim();
  });
  return fields;
}

export function formatCardBas(fields: CardBasFields): string {
  return FIELD_ORDER.map((key) => fields[key]).join('|') + '|';
}

/** Sex and birth date are not in the output; they come from the (verified) ID number. */
export function cardBasToCardRead(fields: CardBasFields): SocialSecurityCardRead {
  if ((fields.idNumber === '' || fields.name === '') && fields.specVersion.startsWith('3')) {
    throw new DeviceError('DEVICE_AUTH_REQUIRED', '该卡为社保卡3.0，个人信息需通过加密机认证后读取', {
      detail: { specVersion: fields.specVersion },
    });
  }
  const identity = identityOf(fields.idNumber);
  return verifyCardRead<SocialSecurityCardRead>({
    kind: 'social_security',
    source: 'card_bas',
    idNumber: fields.idNumber,
    name: fields.name,
    sex: identity?.sex ?? 'unknown',
    birthDate: identity?.birthDate ?? '',
    cardNumber: fields.cardNumber,
    cardIdentifier: fields.cardIdentifier.toUpperCase(),
    regionCode: fields.regionCode || fields.cardIdentifier.slice(0, 6),
    specVersion: fields.specVersion,
    issueDate: compactDate(fields.issueDate),
    expiryDate: compactDate(fields.expiryDate),
  });
}
