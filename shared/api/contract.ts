import { z } from 'zod';
import { ROLES, type Role } from '../domain/roles';

/**
 * The API contract: every method the core answers, with the schema of its params and
 * result and who may call it. The core validates every call against it, whatever the
 * transport; the renderer's client is typed from it.
 */

/** 'public': no session needed; 'session': any logged-in operator; a role list: only those roles. */
export type Access = 'public' | 'session' | readonly Role[];

interface MethodDef<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  access: Access;
}

const method = <P extends z.ZodType, R extends z.ZodType>(def: MethodDef<P, R>) => def;

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

export const roleSchema = z.enum(ROLES);
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{2,31}$/, '用户名须为3至32位小写字母、数字或下划线，并以字母开头');
export const passwordSchema = z.string().min(1, '请输入密码').max(128, '密码过长');
export const newPasswordSchema = z
  .string()
  .min(8, '密码至少8位')
  .max(128, '密码过长')
  .regex(/[A-Za-z]/, '密码须包含字母')
  .regex(/[0-9]/, '密码须包含数字');
export const windowNoSchema = z.number().int().min(1).max(99);

export const operatorSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
});
export type Operator = z.infer<typeof operatorSchema>;

export const stationSchema = z.object({
  code: z.string().regex(/^\d{6,12}$/, '站点编码须为6至12位数字'),
  name: z.string().trim().min(2, '站点名称至少2个字').max(40, '站点名称不超过40个字'),
  regionCode: z.string().regex(/^\d{6}$/, '行政区划代码须为6位数字'),
  windows: z
    .array(windowNoSchema)
    .min(1, '至少设置一个窗口')
    .max(60)
    .refine((w) => new Set(w).size === w.length, '窗口号不能重复'),
  idleLockMinutes: z.number().int().min(1, '锁屏时间至少1分钟').max(120, '锁屏时间不超过120分钟'),
});
export type Station = z.infer<typeof stationSchema>;

export const sessionSchema = z.object({
  operator: operatorSchema,
  windowNo: windowNoSchema,
  locked: z.boolean(),
  startedAt: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const deviceStatusSchema = z.object({
  kind: z.enum(['printer', 'card_reader']),
  name: z.string(),
  simulated: z.boolean(),
  state: z.enum(['ready', 'offline', 'error']),
  detail: z.string(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const systemStatusSchema = z.object({
  appVersion: z.string(),
  store: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    journalMode: z.string(),
    sizeBytes: z.number().int(),
    outboxPending: z.number().int(),
    auditEntries: z.number().int(),
  }),
  devices: z.array(deviceStatusSchema),
  serverTime: z.string(),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

export const api = {
  'system.ping': method({ params: empty, result: z.object({ pong: z.literal(true) }), access: 'public' }),
  'system.status': method({ params: empty, result: systemStatusSchema, access: 'session' }),

  /** Station name and windows, shown on the login page before anyone logs in. */
  'station.get': method({ params: empty, result: stationSchema, access: 'public' }),
  'station.update': method({ params: stationSchema, result: stationSchema, access: ['admin'] }),

  'auth.login': method({
    params: z
      .object({ username: z.string().trim().min(1, '请输入用户名').max(32), password: passwordSchema, windowNo: windowNoSchema })
      .strict(),
    result: sessionSchema,
    access: 'public',
  }),
  'auth.session': method({ params: empty, result: sessionSchema.nullable(), access: 'public' }),
  'auth.logout': method({ params: empty, result: ok, access: 'session' }),
  'auth.lock': method({ params: empty, result: sessionSchema, access: 'session' }),
  'auth.unlock': method({ params: z.object({ password: passwordSchema }).strict(), result: sessionSchema, access: 'session' }),

  'accounts.list': method({ params: empty, result: z.array(operatorSchema), access: ['admin'] }),
  'accounts.create': method({
    params: z
      .object({
        username: usernameSchema,
        displayName: z.string().trim().min(2, '姓名至少2个字').max(20, '姓名不超过20个字'),
        role: roleSchema,
        password: newPasswordSchema,
      })
      .strict(),
    result: operatorSchema,
    access: ['admin'],
  }),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ParamsOf<M extends MethodName> = z.input<Api[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Api[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
