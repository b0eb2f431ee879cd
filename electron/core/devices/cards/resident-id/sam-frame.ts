import { concatBytes, xorBytes } from '../../bytes';
import type { DecodeEvent, FrameDecoder } from '../../serial/frame-decoder';

// ID card SAM module frames (hardware.md §3): AA AA AA 96 69, LEN (2 bytes, big-endian, counting
// everything after itself including CHK), body, CHK = XOR of LEN1 … last body byte.
// Host → module body: CMD PARA [data]. Module → host body: SW1 SW2 SW3 [data].

const SAM_PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** The longest answer is text + photo + fingerprint, 2321 bytes; anything claiming more is noise. */
const MAX_LEN = 2400;
const MIN_LEN = 3;

export const SAM_RESET = Uint8Array.of(0x10, 0xff);
export const SAM_STATUS = Uint8Array.of(0x11, 0xff);
export const SAM_ID = Uint8Array.of(0x12, 0xff);
export const FIND_CARD = Uint8Array.of(0x20, 0x01);
export const SELECT_CARD = Uint8Array.of(0x20, 0x02);
export const READ_TEXT_PHOTO = Uint8Array.of(0x30, 0x01);

/** SW3 values (HslCommunication tables). */
export const SW3 = {
  OK: 0x90,
  FIND_OK: 0x9f,
  NO_CONTENT: 0x91,
  CHECKSUM_ERROR: 0x10,
  LENGTH_ERROR: 0x11,
  COMMAND_ERROR: 0x21,
  UNAUTHORISED: 0x23,
  UNRECOGNISED: 0x24,
  CARD_AUTH_SAM_FAILED: 0x31,
  SAM_AUTH_CARD_FAILED: 0x32,
  VERIFY_ERROR: 0x33,
  UNKNOWN_CARD_TYPE: 0x40,
  READ_FAILED: 0x41,
  RANDOM_FAILED: 0x47,
  SELF_TEST_FAILED: 0x60,
  SAM_NOT_AUTHORISED: 0x66,
  FIND_FAILED: 0x80,
  SELECT_FAILED: 0x81,
} as const;

export const SW3_MESSAGES: Record<number, string> = {
  [SW3.NO_CONTENT]: '证件无此项内容',
  [SW3.CHECKSUM_ERROR]: '身份证模块报告校验和错误',
  [SW3.LENGTH_ERROR]: '身份证模块报告长度错误',
  [SW3.COMMAND_ERROR]: '身份证模块不支持该命令',
  [SW3.UNAUTHORISED]: '越权操作',
  [SW3.UNRECOGNISED]: '身份证模块无法识别的错误',
  [SW3.CARD_AUTH_SAM_FAILED]: '证件认证安全模块失败',
  [SW3.SAM_AUTH_CARD_FAILED]: '安全模块认证证件失败',
  [SW3.VERIFY_ERROR]: '信息验证错误',
  [SW3.UNKNOWN_CARD_TYPE]: '无法识别的卡类型',
  [SW3.READ_FAILED]: '读证件失败，请将证件放稳后重试',
  [SW3.RANDOM_FAILED]: '取随机数失败',
  [SW3.SELF_TEST_FAILED]: '安全模块自检失败',
  [SW3.SAM_NOT_AUTHORISED]: '安全模块未经授权',
  [SW3.FIND_FAILED]: '未找到证件',
  [SW3.SELECT_FAILED]: '选取证件失败，请将证件放稳后重试',
};

function frame(body: Uint8Array): Uint8Array {
  const length = body.length + 1;
  const lenAndBody = concatBytes([Uint8Array.of(length >> 8, length & 0xff), body]);
  return concatBytes([SAM_PREAMBLE, lenAndBody, Uint8Array.of(xorBytes(lenAndBody))]);
}

/** Host → module: `command` is CMD PARA. */
export function encodeSamCommand(command: Uint8Array, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return frame(concatBytes([command, data]));
}

/** Module → host. */
export function encodeSamReply(sw3: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return frame(concatBytes([Uint8Array.of(0x00, 0x00, sw3), data]));
}

export interface SamReply {
  sw3: number;
  data: Uint8Array;
}

function indexOfPreamble(buf: Uint8Array): number {
  for (let i = 0; i + SAM_PREAMBLE.length <= buf.length; i++) {
    if (SAM_PREAMBLE.every((b, k) => buf[i + k] === b)) return i;
  }
  return -1;
}

/** Incremental: fragments in, checked bodies out; resynchronises on the next preamble after noise. */
export class SamFrameDecoder implements FrameDecoder<Uint8Array> {
  private held: Uint8Array = new Uint8Array(0);

  get pending(): number {
    return this.held.length;
  }

  reset(): void {
    this.held = new Uint8Array(0);
  }

  push(chunk: Uint8Array): DecodeEvent<Uint8Array>[] {
    const events: DecodeEvent<Uint8Array>[] = [];
    let buf = concatBytes([this.held, chunk]);
    for (;;) {
      const start = indexOfPreamble(buf);
      if (start < 0) {
        // Keep a tail that may be the beginning of a preamble split across chunks.
        buf = buf.subarray(Math.max(0, buf.length - (SAM_PREAMBLE.length - 1)));
        break;
      }
      buf = buf.subarray(start);
      if (buf.length < 7) break;
      const length = ((buf[5] ?? 0) << 8) | (buf[6] ?? 0);
      if (length < MIN_LEN || length > MAX_LEN) {
        events.push({ type: 'corrupt', reason: `impossible length ${length}`, bytes: buf.slice(0, 7) });
        buf = buf.subarray(1);
        continue;
      }
      const total = 7 + length;
      if (buf.length < total) break;
      if (xorBytes(buf, 5, total - 1) !== buf[total - 1]) {
        events.push({ type: 'corrupt', reason: 'checksum mismatch', bytes: buf.slice(0, total) });
        buf = buf.subarray(1);
        continue;
      }
      events.push({ type: 'frame', frame: buf.slice(7, total - 1) });
      buf = buf.subarray(total);
    }
    this.held = buf.slice();
    return events;
  }
}

export function parseSamReply(body: Uint8Array): SamReply {
  return { sw3: body[2] ?? 0, data: body.slice(3) };
}
