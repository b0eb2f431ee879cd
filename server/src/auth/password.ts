import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password verifiers in the stations' format, `scrypt$N$r$p$salt$key` (base64 salt and key, NFC-normalised
 * password), so an account published centrally logs in at any counter of its station and on the review page.
 * electron/core/auth/password.ts holds the station's copy of these few lines: the server may import only shared/, and
 * shared/ may not use node:crypto, so the format is written twice and the protocol document fixes it.
 */

const PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
// Verifiers travel through pushes and publications: a cost above the stations' own is refused rather than computed.
const MAX_N = 1 << 17;
const MAX_R = 16;
const MAX_P = 4;

function derive(password: string, salt: Buffer, keyLength: number, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function passwordVerifier(password: string): Promise<string> {
  const { N, r, p } = PARAMS;
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_LENGTH, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `verifier`; false for a wrong password and for any verifier not in the format. */
export async function verifyPassword(password: string, verifier: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key, ...rest] = verifier.split('$');
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  const sane =
    scheme === 'scrypt' &&
    rest.length === 0 &&
    Number.isInteger(N) &&
    N > 1 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(R) &&
    R >= 1 &&
    R <= MAX_R &&
    Number.isInteger(P) &&
    P >= 1 &&
    P <= MAX_P &&
    !!salt &&
    !!key;
  if (!sane) return false;
  const expected = Buffer.from(key, 'base64');
  if (expected.length < 16 || expected.length > 64) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64'), expected.length, N, R, P);
  return timingSafeEqual(actual, expected);
}
