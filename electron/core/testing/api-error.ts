import { ApiError } from '#shared/api/errors';

/** The ApiError a call was refused with; fails the test if the call succeeded or failed otherwise. */
export async function rejection(call: Promise<unknown>): Promise<ApiError> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}
