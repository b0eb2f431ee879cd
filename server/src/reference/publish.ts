import { z } from 'zod';
import { roleSchema, usernameSchema } from '#shared/api/auth';
import { businessDateSchema } from '#shared/domain/calendar/dates';
import { regionCodeSchema } from '#shared/domain/region';
import { operatorAccountSchema, REFERENCE_SCHEMAS, RIGHTS, type ReferenceKind, type ReferenceVersion } from '#shared/sync/reference';
import { appendChanges, change, regionReferenceScope } from '../changes/append';
import type { OperatorRow } from '../db/schema';
import type { Store } from '../db/store';
import { passwordVerifier } from '../auth/password';
import { DEFAULT_RIGHTS, operatorChange } from './operators';

/**
 * Publishing reference data: a new version of one kind for one region, effective from a business date, checked by
 * the kind's domain schema and delivered to every station the region covers through the reference stream.
 */
export async function publishReference(
  store: Store,
  input: { kind: ReferenceKind; region: string; effectiveFrom: string; data: unknown },
  now: Date,
): Promise<{ version: number }> {
  const region = regionCodeSchema.parse(input.region);
  const effectiveFrom = businessDateSchema.parse(input.effectiveFrom);
  const data = REFERENCE_SCHEMAS[input.kind].parse(input.data);
  const at = now.toISOString();
  return store.transaction(async (db) => {
    const latest = await db
      .selectFrom('reference_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('kind', '=', input.kind)
      .where('region', '=', region)
      .executeTakeFirst();
    // Two publishers racing for the same number: the loser's insert fails on the key and the transaction reruns.
    const version = Number(latest?.version ?? 0) + 1;
    const text = JSON.stringify(data);
    await db
      .insertInto('reference_version')
      .values({ kind: input.kind, region, version, effective_from: effectiveFrom, data: text, published_at: at })
      .execute();
    const published: ReferenceVersion = { kind: input.kind, region, version, effectiveFrom, publishedAt: at, data };
    const scope = regionReferenceScope(region);
    await appendChanges(db, store.backend, [change('reference', scope, 'reference', `${input.kind}:${region}:${version}`, published)], at);
    return { version };
  });
}

export const operatorInputSchema = z
  .object({
    stationCode: z.string(),
    username: usernameSchema,
    displayName: z.string().trim().min(2).max(20),
    role: roleSchema,
    rights: z.array(z.enum(RIGHTS)).optional(),
    password: z.string().min(8).max(128).optional(),
    /** A verifier made elsewhere (an account moved from a station), instead of a password. */
    passwordVerifier: operatorAccountSchema.shape.passwordVerifier.optional(),
    disabled: z.boolean().default(false),
  })
  .strict()
  .refine((o) => o.password === undefined || o.passwordVerifier === undefined, '密码与密码校验值只能给一个');

/**
 * Creates or updates an operator account of a station (matched by username): a new password gives a new
 * verifier, every change a new version, and the account reaches the station's counters through the reference stream.
 */
export async function putOperator(
  store: Store,
  input: z.input<typeof operatorInputSchema>,
  now: Date,
  newId: () => string,
): Promise<OperatorRow> {
  const o = operatorInputSchema.parse(input);
  const verifier = o.password === undefined ? o.passwordVerifier : await passwordVerifier(o.password);
  const at = now.toISOString();
  return store.transaction(async (db) => {
    const station = await db.selectFrom('station').select('code').where('code', '=', o.stationCode).executeTakeFirst();
    if (!station) throw new Error(`没有编码为 ${o.stationCode} 的站点`);
    const existing = await store
      .forUpdate(db.selectFrom('operator').selectAll().where('station_code', '=', o.stationCode).where('username', '=', o.username))
      .executeTakeFirst();
    if (!existing && verifier === undefined) throw new Error('新账号须设置初始密码');
    const row: OperatorRow = {
      id: existing?.id ?? newId(),
      station_code: o.stationCode,
      username: o.username,
      display_name: o.displayName,
      role: o.role,
      rights: JSON.stringify(o.rights ?? DEFAULT_RIGHTS[o.role]),
      password_verifier: verifier ?? existing!.password_verifier,
      disabled: o.disabled ? 1 : 0,
      version: (existing?.version ?? 0) + 1,
      updated_at: at,
    };
    const { id: _id, ...changed } = row;
    await db
      .insertInto('operator')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(changed))
      .execute();
    await appendChanges(db, store.backend, [operatorChange(row)], at);
    return row;
  });
}
