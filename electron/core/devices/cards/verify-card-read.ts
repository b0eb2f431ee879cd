import { validateIdNumber, type Sex as IdSex } from '#shared/domain/identity/resident-id';

import { DeviceError } from '../errors';
import type { CardRead } from './card-read';

/** Birth date and sex encoded in an 18-character GB 11643 number exactly as read; undefined when invalid. */
export function identityOf(idNumber: string): { birthDate: string; sex: IdSex } | undefined {
  const result = validateIdNumber(idNumber);
  // A card carries the full 18-character number verbatim: no legacy 15-digit form, no normalising.
  if (!result.ok || result.value.kind === 'foreign_permanent_residence_2017' || result.value.idNumber !== idNumber) return undefined;
  return result.value.upgradedFrom === null ? { birthDate: result.value.birthDate, sex: result.value.sex } : undefined;
}

/** Control characters or U+FFFD in a name mean its bytes did not decode as text. */
function undecodable(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return cp < 0x20 || cp === 0x7f || cp === 0xfffd;
}

function badData(why: string, detail: Record<string, unknown>): DeviceError {
  return new DeviceError('DEVICE_BAD_DATA', `卡内数据校验失败（${why}），请重新读卡`, { detail });
}

/**
 * The last gate before a read reaches the app: the number must pass its check character and agree
 * with the birth date and sex read beside it, and the name must be clean. A corrupted read that
 * slipped past the frame checks is refused here rather than shown as a (wrong) person.
 */
export function verifyCardRead<T extends CardRead>(read: T): T {
  const { idNumber, birthDate, sex, name } = read;
  const identity = identityOf(idNumber);
  if (!identity) throw badData('证件号码无效', { kind: read.kind });
  if (birthDate !== identity.birthDate) throw badData('出生日期与证件号码不符', { kind: read.kind });
  if (sex !== 'unknown' && sex !== identity.sex) throw badData('性别与证件号码不符', { kind: read.kind });
  if (name.trim() === '' || [...name].some(undecodable)) throw badData('姓名无法识别', { kind: read.kind });
  return read;
}
