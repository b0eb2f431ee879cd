/** Typed API errors. Every transport carries them as plain data; the UI shows `message`. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'DEVICE_OFFLINE',
  'DEVICE_PAPER_OUT',
  'DEVICE_TIMEOUT',
  'DEVICE_BAD_FRAME',
  'HALL_OFFLINE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Default Chinese message per code, used when a thrower gives none. */
export const DEFAULT_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  VALIDATION: '输入有误，请检查后重试',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '当前账号无权执行此操作',
  NOT_FOUND: '未找到对应记录',
  CONFLICT: '数据已被修改，请刷新后重试',
  DEVICE_OFFLINE: '设备未连接，请检查连线后重试',
  DEVICE_PAPER_OUT: '打印机缺纸，请装纸后继续',
  DEVICE_TIMEOUT: '设备响应超时，请重试',
  DEVICE_BAD_FRAME: '设备返回数据异常，请重新读取',
  HALL_OFFLINE: '大厅主机连接中断，叫号暂不可用；可先临时接待无号群众，恢复后自动交给大厅主机',
  INTERNAL: '系统内部错误，请联系管理员',
};

export interface FieldIssue {
  /** Dotted path of the offending field, '' for the whole value. */
  path: string;
  message: string;
}

export interface ApiErrorData {
  code: ErrorCode;
  message: string;
  /** Why a session was refused: 'locked' tells the UI to show the lock screen. */
  reason?: string;
  issues?: FieldIssue[];
  /** A staged upload refused at the wrong offset (CONFLICT): the bytes the core holds, where the client resumes. */
  received?: number;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly issues: FieldIssue[] | undefined;
  readonly received: number | undefined;

  constructor(code: ErrorCode, message?: string, extra: { reason?: string; issues?: FieldIssue[]; received?: number } = {}) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = 'ApiError';
    this.code = code;
    this.reason = extra.reason;
    this.issues = extra.issues;
    this.received = extra.received;
  }

  toData(): ApiErrorData {
    const data: ApiErrorData = { code: this.code, message: this.message };
    if (this.reason !== undefined) data.reason = this.reason;
    if (this.issues !== undefined) data.issues = this.issues;
    if (this.received !== undefined) data.received = this.received;
    return data;
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, { reason: data.reason, issues: data.issues, received: data.received });
  }
}

/** What every transport returns for one call. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorData };
