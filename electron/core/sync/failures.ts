import type { ErrorBody } from '#shared/sync/protocol';

/**
 * Why a round failed, and what the engine does about it:
 * - `offline`: the central office could not be reached (or answered 5xx): retry with backoff;
 * - `stalled`: it answered but this round cannot finish (a type it does not know yet, a refused body): retry with backoff;
 * - `blocked`: it refuses this device (revoked, unknown, sequence disagreement): stop until an administrator acts.
 */
export type FailureKind = 'offline' | 'stalled' | 'blocked';

export class SyncFailure extends Error {
  constructor(
    readonly code: string,
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}

/** What the operator reads for each code: what happened, and what to do about it. */
const KNOWN: Record<string, { kind: FailureKind; message: string }> = {
  UNREACHABLE: { kind: 'offline', message: '无法连接中心，本机继续离线办理，网络恢复后自动上传' },
  BAD_RESPONSE: { kind: 'offline', message: '中心返回的内容无法识别，稍后自动重试；如持续出现，请管理员核对中心地址' },
  NOT_READY: { kind: 'offline', message: '中心服务暂不可用，稍后自动重试' },
  INTERNAL: { kind: 'offline', message: '中心服务内部错误，稍后自动重试' },
  // A request the line delivered twice: the copy is refused, and the retry is a new request anyway.
  REPLAYED_NONCE: { kind: 'offline', message: '网络重复投递了请求，中心已拒绝重复的一份，稍后自动重试' },
  UNKNOWN_DEVICE: { kind: 'blocked', message: '中心不认识本机（未注册或注册已被删除），已停止同步，请管理员重置后重新注册' },
  BAD_SIGNATURE: { kind: 'blocked', message: '本机签名未通过中心校验，已停止同步，请管理员重置后重新注册' },
  DEVICE_REVOKED: { kind: 'blocked', message: '本机已被中心停用，已停止同步，请联系中心管理员' },
  SEQUENCE_MISMATCH: { kind: 'blocked', message: '本机的上传记录与中心不一致，已停止上传，请联系管理员核对（本机数据完好）' },
  DUPLICATE_OP_ID: { kind: 'blocked', message: '操作编号与中心已有记录重复，已停止上传，请联系管理员核对（本机数据完好）' },
  KEY_MISSING: { kind: 'blocked', message: '本机设备密钥文件缺失，无法签名，请管理员重置后重新注册' },
  UNKNOWN_OPERATION_TYPE: { kind: 'stalled', message: '中心暂不支持本机的部分操作，已暂停上传（本机数据完好），请联系中心升级服务' },
  STALE_TIMESTAMP: { kind: 'stalled', message: '本机时间与中心相差过大，请校准系统时间' },
  BODY_TOO_LARGE: { kind: 'stalled', message: '单笔操作超过中心的大小限制，已暂停上传，请联系管理员' },
  CHECKSUM_MISMATCH: { kind: 'stalled', message: '下载的数据与中心核对不一致，重新下载后仍不一致，稍后自动重试；如持续出现请联系管理员' },
  NO_PROGRESS: { kind: 'stalled', message: '中心未确认本批上传，稍后自动重试' },
  BAD_CHANGE: { kind: 'stalled', message: '中心下发的数据无法处理，已暂停下载（本机数据完好），请联系管理员' },
};

export function failure(code: string, detail?: string): SyncFailure {
  const known = KNOWN[code];
  if (known) return new SyncFailure(code, known.kind, known.message);
  return new SyncFailure(code, 'stalled', `${detail ?? '同步失败'}，稍后自动重试；如持续出现请联系管理员`);
}

/** A refused request: by its code, or by its status when the code is not one of ours (a proxy's 502). */
export function failureOfAnswer(answer: { status: number; body: ErrorBody }): SyncFailure {
  const { code, message } = answer.body.error;
  if (KNOWN[code]) return failure(code);
  return answer.status >= 500 ? failure('NOT_READY') : failure(code, message);
}
