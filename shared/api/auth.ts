import { z } from 'zod';
import { ROLES } from '../domain/roles';
import { empty, method, ok } from './define';
import { windowNoSchema } from './station';

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

export const operatorSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
});
export type Operator = z.infer<typeof operatorSchema>;

export const sessionSchema = z.object({
  operator: operatorSchema,
  windowNo: windowNoSchema,
  locked: z.boolean(),
  startedAt: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const authMethods = {
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
