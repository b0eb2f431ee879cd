import { z } from 'zod';
import '../api/define';
import { businessDateSchema } from '../domain/calendar/dates';
import { regionCodeSchema } from '../domain/region';

/**
 * Wire types of the sync protocol between a device and the central office (docs/sync-protocol.md). Every body in
 * either direction is JSON and is checked against these schemas on arrival.
 */

/** Most operations one push may carry. */
export const MAX_BATCH_OPS = 1000;
/** Most changes one stream page may carry, and the page size when the request names none. */
export const MAX_PAGE_CHANGES = 1000;
export const DEFAULT_PAGE_CHANGES = 500;
/** A page stops growing past this many bytes of change data (it always carries at least one change). */
export const PAGE_BYTE_BUDGET = 1024 * 1024;

const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '应为UUID');
const stationCodeSchema = z.string().regex(/^\d{6,12}$/, '站点编码须为6至12位数字');

/** Identifiers made by devices or the server (UUIDs and the like). */
export const idSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, '标识只能由字母、数字、“-”和“_”组成');

/** An instant as a device writes it (ISO 8601): printable ASCII. */
export const instantSchema = z.string().regex(/^[\x20-\x7e]{0,40}$/, '时间格式不正确');

// Control characters other than tab and line breaks, and halves of surrogate pairs: no text a person typed has them.
// eslint-disable-next-line no-control-regex -- matching them is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A sub-item code of the business catalogue. */
export const subItemCodeSchema = z.string().regex(/^[A-Z][A-Z0-9]{0,15}$/, '事项编码格式不正确');

/** Text a person typed, at most `max` characters. */
export const plainText = (max: number) => z.string().max(max).refine(isPlainText, '含有无法显示的控制字符');

export function isPlainText(text: string): boolean {
  return !UNPRINTABLE.test(text);
}

/** The text with every character `plainText` refuses replaced by U+FFFD, for quoting what a device sent. */
export function printable(text: string): string {
  return text.replace(new RegExp(UNPRINTABLE.source, 'g'), '\ufffd');
}

// ---------------------------------------------------------------- enrolment

/** An Ed25519 public key: its 32 raw bytes in standard base64. */
export const publicKeySchema = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '公钥应为32字节Ed25519公钥的Base64编码');

export const STATION_KINDS = ['station', 'central'] as const;
export type StationKind = (typeof STATION_KINDS)[number];

export const stationInfoSchema = z.object({
  code: stationCodeSchema,
  name: z.string(),
  regionCode: regionCodeSchema,
  /** `central`: a back-office workstation of the central office, working on the cases of its region. */
  kind: z.enum(STATION_KINDS),
});

export const enrolRequestSchema = z
  .object({
    code: z.string().min(8).max(64),
    publicKey: publicKeySchema,
    deviceName: plainText(60).trim().min(1),
  })
  .strict();
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.object({
  deviceId: uuidSchema,
  station: stationInfoSchema,
  serverTime: z.string(),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

// ---------------------------------------------------------------- push

/** Who ran the command that wrote the operation; a null operator for system actions. */
export const actorSchema = z
  .object({
    operatorId: idSchema.nullable(),
    windowNo: z.number().int().min(1).max(99).nullable(),
  })
  .strict();
export type OpActor = z.infer<typeof actorSchema>;

/** One outbox row as pushed. `payload` is checked against its type's schema (shared/sync/operations.ts). */
export const opEnvelopeSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    opId: uuidSchema,
    type: z
      .string()
      .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, '操作类型格式不正确')
      .max(64),
    payload: z.unknown(),
    /** The device's clock when the operation was written: information only, never used for ordering. */
    createdAt: instantSchema,
    actor: actorSchema,
  })
  .strict();
export type OpEnvelope = z.infer<typeof opEnvelopeSchema>;

export const pushRequestSchema = z
  .object({ ops: z.array(opEnvelopeSchema).min(1, '批次中没有操作').max(MAX_BATCH_OPS, `每批最多${MAX_BATCH_OPS}个操作`) })
  .strict()
  .superRefine((batch, ctx) => {
    const opIds = new Set<string>();
    batch.ops.forEach((op, i) => {
      const prev = batch.ops[i - 1];
      if (prev && op.seq !== prev.seq + 1) ctx.addIssue({ code: 'custom', path: ['ops', i, 'seq'], message: '批次内的序号必须连续递增' });
      if (opIds.has(op.opId)) ctx.addIssue({ code: 'custom', path: ['ops', i, 'opId'], message: '批次内的操作编号重复' });
      opIds.add(op.opId);
    });
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const OP_OUTCOMES = ['applied', 'refused', 'conflicted'] as const;

/** Why the server refused one operation (the batch itself was accepted). */
export const REFUSAL_CODES = [
  'INVALID_PAYLOAD',
  'UNKNOWN_OPERATOR',
  'OPERATOR_ROLE',
  'OUT_OF_SCOPE',
  'STATION_MISMATCH',
  'CASE_UNKNOWN',
  'CASE_EXISTS',
  'CASE_REFUSED',
  'UNKNOWN_SUB_ITEM',
  'RECORD_UNKNOWN',
  'RECORD_EXISTS',
  'USERNAME_TAKEN',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export const opResultSchema = z.object({
  seq: z.number().int(),
  opId: z.string(),
  outcome: z.enum(OP_OUTCOMES),
  /** For `refused`: the refusal code; for CASE_REFUSED `reason` says which rule (the state machine's rejection). */
  code: z.enum(REFUSAL_CODES).optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** For `conflicted`: the conflict records created (the other fields of the patch were merged). */
  conflicts: z.array(z.object({ id: z.string(), field: z.string() })).optional(),
  /**
   * The central office already held this operation from another device of the same station (a PC enrolled again
   * with a restored outbox): the result is the one recorded then, and nothing was applied again.
   */
  alreadyHeld: z.literal(true).optional(),
});
export type OpResult = z.infer<typeof opResultSchema>;

export const pushResponseSchema = z.object({
  /** The highest sequence the server has applied for this device, after this batch. */
  lastAppliedSeq: z.number().int(),
  /** One result per operation of the request, in order; already applied ones repeat their recorded result. */
  results: z.array(opResultSchema),
  serverTime: z.string(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

// ---------------------------------------------------------------- pull

export const STREAMS = ['station', 'reference'] as const;
export type StreamName = (typeof STREAMS)[number];

const cursorSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Query string of GET /v1/sync/pull. */
export const pullQuerySchema = z
  .object({
    station: cursorSchema.default(0),
    reference: cursorSchema.default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_CHANGES).default(DEFAULT_PAGE_CHANGES),
  })
  .strict();
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const CHANGE_ENTITIES = [
  'case',
  'person',
  'employer',
  'operator',
  'station',
  'reference',
  'refusal',
  'conflict',
  'day_close',
] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

/** One entry of the change log. `data` is JSON text: its exact bytes enter the checksum. */
export const changeSchema = z.object({
  seq: z.number().int(),
  entity: z.enum(CHANGE_ENTITIES),
  id: z.string(),
  data: z.string(),
});
export type Change = z.infer<typeof changeSchema>;

/** What a device should hold once it has applied every change of the stream up to `cursor`. */
export const checkpointSchema = z.object({
  cursor: z.number().int(),
  count: z.number().int(),
  checksum: z.number().int(),
});

export const streamPageSchema = z.object({
  changes: z.array(changeSchema),
  /** Store it with the page, in the same transaction; send it back as this stream's cursor. */
  cursor: z.number().int(),
  hasMore: z.boolean(),
  checkpoint: checkpointSchema,
});
export type StreamPage = z.infer<typeof streamPageSchema>;

export const pullResponseSchema = z.object({
  streams: z.object({ station: streamPageSchema, reference: streamPageSchema }),
  serverTime: z.string(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

// ---------------------------------------------------------------- day close

export const dayCloseTotalSchema = z
  .object({
    operatorId: idSchema,
    subItemCode: subItemCodeSchema,
    count: z.number().int().min(0),
    amountFen: z.number().int(),
  })
  .strict();

export const dayCloseRequestSchema = z
  .object({
    businessDate: businessDateSchema,
    /** The last outbox sequence this device wrote before freezing the day: everything up to it must be applied. */
    lastSeq: z.number().int().min(0),
    /** Cases accepted that business date, per accepting operator and sub-item. */
    totals: z.array(dayCloseTotalSchema).max(10_000),
  })
  .strict();
export type DayCloseRequest = z.infer<typeof dayCloseRequestSchema>;

export const DAY_CLOSE_STATUSES = ['matched', 'mismatched', 'pending'] as const;

export const dayCloseDifferenceSchema = z.object({
  operatorId: z.string(),
  subItemCode: z.string(),
  station: z.object({ count: z.number().int(), amountFen: z.number().int() }),
  server: z.object({ count: z.number().int(), amountFen: z.number().int() }),
});
export type DayCloseDifference = z.infer<typeof dayCloseDifferenceSchema>;

export const dayCloseResponseSchema = z.object({
  /** `pending`: the server has not yet applied the device's operations up to `lastSeq`; push first. */
  status: z.enum(DAY_CLOSE_STATUSES),
  lastAppliedSeq: z.number().int(),
  differences: z.array(dayCloseDifferenceSchema),
  message: z.string(),
});
export type DayCloseResponse = z.infer<typeof dayCloseResponseSchema>;

// ---------------------------------------------------------------- errors

/** Machine codes of refused requests; `message` carries the Chinese text for the operator. */
export const SYNC_ERROR_CODES = {
  MALFORMED_BODY: { status: 400, message: '请求内容不是有效的JSON' },
  INVALID_REQUEST: { status: 400, message: '请求内容不符合同步协议' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '请求内容类型须为 application/json' },
  BODY_TOO_LARGE: { status: 413, message: '请求内容过大，请分批上传' },
  ENROLMENT_CODE_INVALID: { status: 400, message: '注册码无效、已使用或已过期，请向中心管理员重新申请' },
  UNSIGNED: { status: 401, message: '请求缺少设备签名' },
  UNKNOWN_DEVICE: { status: 401, message: '本设备未在中心注册，请重新注册' },
  BAD_SIGNATURE: { status: 401, message: '设备签名校验失败' },
  STALE_TIMESTAMP: { status: 401, message: '设备时间与中心相差过大，请校准时间后重试' },
  REPLAYED_NONCE: { status: 401, message: '重复的请求已被拒绝' },
  DEVICE_REVOKED: { status: 403, message: '本设备已被中心停用' },
  SEQUENCE_GAP: { status: 409, message: '上传序号不连续，请从中心期望的序号重新上传' },
  SEQUENCE_MISMATCH: { status: 409, message: '该序号已上传过另一笔操作，本机数据与中心不一致，请联系管理员' },
  DUPLICATE_OP_ID: { status: 409, message: '操作编号已被使用' },
  UNKNOWN_OPERATION_TYPE: { status: 422, message: '中心无法识别该操作类型，请升级中心服务后再同步' },
  FILE_NOT_REFERENCED: { status: 409, message: '中心尚未收到引用该文件的业务操作，请先同步业务数据' },
  OFFSET_MISMATCH: { status: 409, message: '文件续传位置与中心不一致，请从中心给出的位置继续上传' },
  CHUNK_CORRUPT: { status: 422, message: '文件分块在传输中损坏，请重新发送该分块' },
  FILE_CORRUPT: { status: 422, message: '文件传完后校验不符，中心已丢弃，请重新上传' },
  FILE_NOT_FOUND: { status: 404, message: '中心没有该文件' },
  NOT_FOUND: { status: 404, message: '没有这个接口' },
  METHOD_NOT_ALLOWED: { status: 405, message: '接口不支持该请求方法' },
  NOT_READY: { status: 503, message: '中心服务暂不可用，请稍后重试' },
  INTERNAL: { status: 500, message: '中心服务内部错误，请稍后重试' },
} as const satisfies Record<string, { status: number; message: string }>;
export type SyncErrorCode = keyof typeof SYNC_ERROR_CODES;

export const errorBodySchema = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      /** SEQUENCE_GAP: the sequence the next batch must start with. */
      expectedSeq: z.number().int().optional(),
      lastAppliedSeq: z.number().int().optional(),
      /** UNKNOWN_OPERATION_TYPE, SEQUENCE_MISMATCH, DUPLICATE_OP_ID: the operation concerned. */
      seq: z.number().int().optional(),
      type: z.string().optional(),
      /** OFFSET_MISMATCH: how many bytes of the file the server has; the next chunk starts there. */
      offset: z.number().int().optional(),
      /** STALE_TIMESTAMP: the server's clock, so the device can correct its offset and sign again. */
      serverTime: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    })
    .loose(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
