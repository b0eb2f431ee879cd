import { verifyPassword, hashPassword } from '#core/auth/password';
import { startTestCore } from '#core/testing/fixture';
import { runGroup } from './harness';

/** A whole login through the core (scrypt, session, audit and outbox) against scrypt alone. */
export async function authBench(): Promise<string> {
  const t = await startTestCore();
  const hash = await hashPassword('teller123');
  try {
    return await runGroup(
      'Login',
      [
        { name: 'scrypt verify alone', fn: () => verifyPassword('teller123', hash) },
        {
          name: 'login through the core',
          fn: () => t.client().call('auth.login', { username: 'teller', password: 'teller123', windowNo: 1 }),
          baseline: 'scrypt verify alone',
        },
      ],
      { time: 2000, iterations: 20 },
    );
  } finally {
    t.dispose();
  }
}
