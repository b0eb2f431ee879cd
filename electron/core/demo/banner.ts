import type { DemoAccount } from './seed';
import { ROLE_LABELS } from '#shared/api/roles';

/** Prints the demo accounts created on this start, so a newcomer can log in at once. */
export function printDemoCredentials(accounts: readonly DemoAccount[], out: NodeJS.WritableStream = process.stdout): void {
  if (accounts.length === 0) return;
  out.write('已创建演示站点和演示账号（仅供演示与培训）：\n');
  for (const a of accounts) out.write(`  ${ROLE_LABELS[a.role].padEnd(6, '　')} 用户名 ${a.username.padEnd(9)} 密码 ${a.password}\n`);
}
