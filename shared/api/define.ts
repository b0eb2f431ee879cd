import { z } from 'zod';
import type { Role } from '../domain/roles';

// Schema messages reach tellers: zod's built-in ones in Chinese too, wherever the contract is loaded.
z.config(z.locales.zhCN());

/** 'public': no session needed; 'session': any logged-in operator; a role list: only those roles. */
export type Access = 'public' | 'session' | readonly Role[];

export interface MethodDef<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  access: Access;
}

/** Declares one API method: its params schema, result schema and who may call it. */
export const method = <P extends z.ZodType, R extends z.ZodType>(def: MethodDef<P, R>) => def;

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
