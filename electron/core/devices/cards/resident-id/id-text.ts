import { DeviceError } from '../../errors';
import type { ResidentIdCardRead, Sex } from '../card-read';
import { compactDate } from '../compact-date';
import { verifyCardRead } from '../verify-card-read';

// The 256-byte text block of a resident ID card (GA/T 490; hardware.md §3): UCS-2LE, space-padded.

export const ID_TEXT_LENGTH = 256;

const FIELDS = {
  name: [0, 30],
  sex: [30, 2],
  ethnicity: [32, 4],
  birthDate: [36, 16],
  address: [52, 70],
  idNumber: [122, 36],
  issuingAuthority: [158, 30],
  validFrom: [188, 16],
  validUntil: [204, 16],
  // 港澳台居民居住证 only: 通行证号码 and 签发次数 follow the dates (DKCloudID IDCardData.java).
  passNumber: [220, 18],
  issueCount: [238, 4],
} as const satisfies Record<string, readonly [number, number]>;

type Field = keyof typeof FIELDS;

/** Byte 248: 'J' = 港澳台居民居住证, 'I' = 外国人永久居留身份证 (another layout); otherwise a resident ID. */
const TYPE_OFFSET = 248;

export type IdTextFields = Record<Field, string> & { typeFlag: string };

export function parseIdText(block: Uint8Array): IdTextFields {
  if (block.length < ID_TEXT_LENGTH) {
    throw new DeviceError('DEVICE_BAD_FRAME', '身份证文字信息不完整', { detail: { length: block.length } });
  }
  const buf = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const fields = {} as Record<Field, string>;
  for (const [field, [offset, length]] of Object.entries(FIELDS) as Array<[Field, readonly [number, number]]>) {
    // Fields are padded with spaces; some readers pad with NUL instead.
    fields[field] = buf
      .toString('utf16le', offset, offset + length)
      .replaceAll('\u0000', ' ')
      .trim();
  }
  return { ...fields, typeFlag: String.fromCharCode(buf[TYPE_OFFSET] ?? 0x20) };
}

/** The simulator's side: fields written UCS-2LE, padded with spaces. */
export function encodeIdText(fields: Partial<Record<Field, string>> & { typeFlag?: string }): Uint8Array {
  const buf = Buffer.alloc(ID_TEXT_LENGTH);
  for (let i = 0; i < ID_TEXT_LENGTH; i += 2) buf.write(' ', i, 'utf16le');
  for (const [field, [offset, length]] of Object.entries(FIELDS) as Array<[Field, readonly [number, number]]>) {
    const value = fields[field] ?? '';
    const bytes = Buffer.from(value, 'utf16le');
    if (bytes.length > length) throw new RangeError(`${field} "${value}" exceeds ${length} bytes`);
    bytes.copy(buf, offset);
  }
  if (fields.typeFlag) buf.write(fields.typeFlag, TYPE_OFFSET, 'latin1');
  return Uint8Array.from(buf);
}

function sexFromCode(code: string): Sex {
  return code === '1' ? 'male' : code === '2' ? 'female' : 'unknown';
}

export function idTextToCardRead(fields: IdTextFields): ResidentIdCardRead {
  if (fields.typeFlag === 'I') {
    throw new DeviceError('DEVICE_UNSUPPORTED_CARD', '暂不支持外国人永久居留身份证，请手工录入', { detail: { typeFlag: 'I' } });
  }
  const permit = fields.typeFlag === 'J';
  return verifyCardRead<ResidentIdCardRead>({
    kind: 'resident_id',
    source: 'sam',
    documentType: permit ? 'hmt_residence_permit' : 'resident_id',
    idNumber: fields.idNumber,
    name: fields.name,
    sex: sexFromCode(fields.sex),
    birthDate: compactDate(fields.birthDate) ?? '',
    ethnicityCode: permit || fields.ethnicity === '' ? undefined : fields.ethnicity,
    address: fields.address,
    issuingAuthority: fields.issuingAuthority,
    validFrom: compactDate(fields.validFrom) ?? fields.validFrom,
    validUntil: compactDate(fields.validUntil) ?? fields.validUntil,
    passNumber: permit ? fields.passNumber : undefined,
    issueCount: permit ? fields.issueCount : undefined,
  });
}
