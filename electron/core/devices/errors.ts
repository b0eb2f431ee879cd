/** Typed device failures. `message` is shown to the teller, so it is Simplified Chinese. */
export type DeviceErrorCode =
  | 'DEVICE_OFFLINE'
  | 'DEVICE_PAPER_OUT'
  | 'DEVICE_TIMEOUT'
  | 'DEVICE_BAD_FRAME'
  | 'DEVICE_BAD_DATA'
  | 'DEVICE_AUTH_REQUIRED'
  | 'DEVICE_CARD_ERROR'
  | 'DEVICE_UNSUPPORTED_CARD'
  | 'DEVICE_UNPRINTABLE'
  | 'DEVICE_CONFIG';

const defaultMessages: Record<DeviceErrorCode, string> = {
  DEVICE_OFFLINE: '设备未连接或已离线',
  DEVICE_PAPER_OUT: '打印机缺纸，请装纸后重试',
  DEVICE_TIMEOUT: '设备响应超时',
  DEVICE_BAD_FRAME: '设备返回的数据不完整或无法识别',
  DEVICE_BAD_DATA: '卡内数据校验失败，请重新读卡',
  DEVICE_AUTH_REQUIRED: '读取该卡需要先进行外部认证',
  DEVICE_CARD_ERROR: '读卡失败',
  DEVICE_UNSUPPORTED_CARD: '不支持的卡片类型',
  DEVICE_UNPRINTABLE: '打印内容含有打印机无法打印的字符',
  DEVICE_CONFIG: '设备配置有误',
};

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  readonly code: DeviceErrorCode;
  /** Machine-readable facts for logs and callers (status words, offending characters…). */
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(
    code: DeviceErrorCode,
    message: string = defaultMessages[code],
    options: { cause?: unknown; detail?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options.detail ?? {};
  }
}

export function isDeviceError(error: unknown, code?: DeviceErrorCode): error is DeviceError {
  return error instanceof DeviceError && (code === undefined || error.code === code);
}
