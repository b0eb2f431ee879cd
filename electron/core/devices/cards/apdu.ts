import { concatBytes } from '../bytes';
import { DeviceError } from '../errors';

// ISO 7816-4 command APDUs over a T=0 link, as used by the SSSE reader (hardware.md §1).

/** Any way of talking to a card: PC/SC, a vendor DLL, a vendor serial framing, or a simulated card. */
export interface ApduTransport {
  /** Sends one command APDU and resolves the response including SW1 SW2. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

export interface ApduResponse {
  data: Uint8Array;
  /** SW1·256 + SW2. */
  sw: number;
}

export const SW_OK = 0x9000;
export const SW_SECURITY_NOT_SATISFIED = 0x6982;
export const SW_AUTH_BLOCKED = 0x6983;
export const SW_FILE_NOT_FOUND = 0x6a82;
export const SW_RECORD_NOT_FOUND = 0x6a83;
export const SW_KEY_NOT_FOUND = 0x6a88;
export const SW_NO_CURRENT_EF = 0x6986;
export const SW_INS_NOT_SUPPORTED = 0x6d00;
export const SW_CLA_NOT_SUPPORTED = 0x6e00;
export const SW_APP_LOCKED = 0x9303;

export function selectByName(name: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(0x00, 0xa4, 0x04, 0x00, name.length), name]);
}

export function selectFile(fileId: number): Uint8Array {
  return Uint8Array.of(0x00, 0xa4, 0x02, 0x00, 0x02, fileId >> 8, fileId & 0xff);
}

/** READ RECORD with P2 = 04: P1 is a record number. */
export function readRecord(record: number, le: number): Uint8Array {
  return Uint8Array.of(0x00, 0xb2, record, 0x04, le);
}

export function getResponse(le: number): Uint8Array {
  return Uint8Array.of(0x00, 0xc0, 0x00, 0x00, le);
}

export function getChallenge(le: number): Uint8Array {
  return Uint8Array.of(0x00, 0x84, 0x00, 0x00, le);
}

export function externalAuthenticate(keyId: number, cryptogram: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(0x00, 0x82, 0x00, keyId, cryptogram.length), cryptogram]);
}

/** The same command with its Le set (cases 1/3 get one appended, cases 2/4 have it replaced). */
export function withLe(command: Uint8Array, le: number): Uint8Array {
  const lc = command.length > 5 ? (command[4] ?? 0) : 0;
  const hasLe = command.length === 5 || (command.length > 5 && command.length === 6 + lc);
  const body = hasLe ? command.subarray(0, command.length - 1) : command;
  return concatBytes([body, Uint8Array.of(le)]);
}

function splitResponse(raw: Uint8Array): ApduResponse {
  if (raw.length < 2) {
    throw new DeviceError('DEVICE_BAD_FRAME', '卡片应答不完整', { detail: { length: raw.length } });
  }
  return { data: raw.slice(0, -2), sw: ((raw[raw.length - 2] ?? 0) << 8) | (raw[raw.length - 1] ?? 0) };
}

const MAX_GET_RESPONSE_ROUNDS = 16;

/** Sends once; on 6Cxx (wrong Le) sends the same command again with Le = xx. */
async function transmitFixingLe(transport: ApduTransport, command: Uint8Array): Promise<ApduResponse> {
  const first = splitResponse(await transport.transmit(command));
  if (first.sw >> 8 !== 0x6c) return first;
  return splitResponse(await transport.transmit(withLe(command, first.sw & 0xff)));
}

/**
 * One command with T=0's two conveniences handled: 6Cxx (resend with the right Le) and 61xx
 * (fetch the rest with GET RESPONSE, as often as the card asks). Resolves data and final SW.
 */
export async function exchangeApdu(transport: ApduTransport, command: Uint8Array): Promise<ApduResponse> {
  let response = await transmitFixingLe(transport, command);
  const chunks = [response.data];
  for (let round = 0; response.sw >> 8 === 0x61; round++) {
    if (round === MAX_GET_RESPONSE_ROUNDS) {
      throw new DeviceError('DEVICE_BAD_FRAME', '卡片应答异常（数据过长）', { detail: { sw: swHex(response.sw) } });
    }
    response = await transmitFixingLe(transport, getResponse(response.sw & 0xff));
    chunks.push(response.data);
  }
  return { data: concatBytes(chunks), sw: response.sw };
}

function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** A status word other than 9000 as a typed error with a message for the teller. */
export function statusWordError(sw: number): DeviceError {
  const detail = { sw: swHex(sw) };
  if (sw === SW_SECURITY_NOT_SATISFIED) {
    return new DeviceError('DEVICE_AUTH_REQUIRED', '该卡读取个人信息需要先进行外部认证（社保卡3.0需PSAM卡或加密机）', { detail });
  }
  if (sw >> 4 === 0x63c) return new DeviceError('DEVICE_CARD_ERROR', `密码错误，还可尝试${sw & 0x0f}次`, { detail });
  const messages: Record<number, string> = {
    [SW_AUTH_BLOCKED]: '卡片认证已锁定',
    [SW_APP_LOCKED]: '卡片应用已锁定',
    [SW_FILE_NOT_FOUND]: '卡片中未找到所需文件',
    [SW_RECORD_NOT_FOUND]: '卡片中未找到所需记录',
    [SW_KEY_NOT_FOUND]: '卡片中未找到所需密钥',
    [SW_INS_NOT_SUPPORTED]: '卡片不支持该指令',
    [SW_CLA_NOT_SUPPORTED]: '卡片不支持该指令',
  };
  return new DeviceError('DEVICE_CARD_ERROR', messages[sw] ?? `读卡失败（状态字 ${detail.sw}）`, { detail });
}
