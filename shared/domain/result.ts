import { z } from 'zod';

/**
 * Outcome of validating or computing something from untrusted input. A failure carries a machine-readable
 * reason (for the typed API error and for tests) and a precise message in Simplified Chinese for the teller.
 */
export type Result<T, R extends string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: R; readonly message: string };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<R extends string>(reason: R, message: string): { readonly ok: false; readonly reason: R; readonly message: string } {
  return { ok: false, reason, message };
}

/**
 * A zod schema for text validated by one of the domain validators, so the API layer reports exactly the message
 * (and, in the issue's params, the reason) the teller sees. `pick` chooses the output, e.g. the normalised number.
 */
export function schemaFromValidator<T, R extends string, O>(
  typeError: string,
  validate: (input: string) => Result<T, R>,
  pick: (value: T) => O,
) {
  return z.string({ error: typeError }).transform((input, ctx) => {
    const result = validate(input);
    if (result.ok) return pick(result.value);
    ctx.addIssue({ code: 'custom', message: result.message, params: { reason: result.reason } });
    return z.NEVER;
  });
}
