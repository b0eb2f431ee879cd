import { DeviceError } from '../../errors';

/** One record answer: tag (1 byte), length (1 byte), value — as SSSE records are stored. */
export function parseRecordTlv(bytes: Uint8Array, expectedTag: number, maxLength: number): Uint8Array {
  const tag = bytes[0];
  const length = bytes[1];
  if (tag !== expectedTag || length === undefined || length > maxLength || bytes.length !== 2 + length) {
    throw new DeviceError('DEVICE_BAD_DATA', '社保卡记录格式错误，请重新读卡', {
      detail: { expectedTag, tag, length, received: bytes.length },
    });
  }
  return bytes.slice(2);
}

export function encodeRecordTlv(tag: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + value.length);
  out[0] = tag;
  out[1] = value.length;
  out.set(value, 2);
  return out;
}
