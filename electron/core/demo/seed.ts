import type { Role } from '#shared/domain/roles';
import type { Station } from '#shared/api/contract';
import { hashPassword } from '../auth/password';
import type { OperatorQueries } from '../auth/operators';
import type { CoreDeps } from '../platform/deps';
import type { CommandRunner } from '../store/command';
import type { StationQueries } from '../station/station';

export const DEMO_STATION: Station = {
  code: '330106001',
  name: '西湖区文新街道社保服务站',
  regionCode: '330106',
  windows: [1, 2, 3],
  idleLockMinutes: 5,
};

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

/** One account per role. The passwords are public: demo and training data only. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'teller', displayName: '王柜员', role: 'teller', password: 'teller123' },
  { username: 'reviewer', displayName: '李复核', role: 'reviewer', password: 'reviewer123' },
  { username: 'approver', displayName: '张审批', role: 'approver', password: 'approver123' },
  { username: 'admin', displayName: '赵管理', role: 'admin', password: 'admin123' },
];

/**
 * Fills an empty store with the demo station and accounts, as one command so the seed
 * is audited like any other change. Returns false when the store already has a station.
 */
export async function seedDemo(
  deps: CoreDeps & { commands: CommandRunner; station: StationQueries; operators: OperatorQueries },
): Promise<boolean> {
  if (deps.station.get()) return false;
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  const now = deps.clock.now().toISOString();
  deps.commands.run({ operatorId: null, windowNo: null }, () => {
    deps.station.save(DEMO_STATION);
    DEMO_ACCOUNTS.forEach((a, i) =>
      deps.operators.insert({
        id: deps.newId(),
        username: a.username,
        display_name: a.displayName,
        role: a.role,
        password_hash: hashes[i]!,
        disabled: 0,
        created_at: now,
      }),
    );
    return {
      result: null,
      audit: {
        action: 'demo.seed',
        class: 'key',
        entityType: 'station',
        entityId: DEMO_STATION.code,
        after: { station: DEMO_STATION, accounts: DEMO_ACCOUNTS.map((a) => a.username) },
      },
      outbox: { type: 'station.updated', payload: DEMO_STATION },
    };
  });
  return true;
}
