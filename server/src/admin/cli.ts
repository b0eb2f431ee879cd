import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { isReferenceKind, REFERENCE_KINDS } from '#shared/sync/reference';
import type { Store } from '../db/store';
import { publishReference, putOperator } from '../reference/publish';
import { createStation, issueEnrolmentCode, revokeDevice } from './stations';

const USAGE = `一窗通中心同步服务

  npm run central                                   启动服务（PORT、HOST、DATABASE_URL、DATA_DIR）
  npm run central -- station add --code 330106001 --name 文新街道社保服务站 --region 330106 [--central]
  npm run central -- enrol --station 330106001 [--hours 72]
  npm run central -- operator put --station 330106001 --username teller --name 王柜员 --role teller [--password …] [--rights accept,deliver] [--disabled]
  npm run central -- publish --kind catalogue|rates|average_wages|holidays|ticket_categories --region 330000 --from 2026-01-01 --file data.json
  npm run central -- device revoke --id <设备ID>
`;

const OPTIONS = {
  code: { type: 'string' },
  name: { type: 'string' },
  region: { type: 'string' },
  central: { type: 'boolean' },
  station: { type: 'string' },
  hours: { type: 'string' },
  username: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  rights: { type: 'string' },
  disabled: { type: 'boolean' },
  kind: { type: 'string' },
  from: { type: 'string' },
  file: { type: 'string' },
  id: { type: 'string' },
} as const;

const required = (value: string | undefined, flag: string): string => {
  if (!value) throw new Error(`缺少参数 --${flag}`);
  return value;
};

/** The administrator's commands; each prints what it did and returns the text. */
export async function runAdminCommand(store: Store, argv: readonly string[], now: () => Date): Promise<string> {
  const { values: v, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  const command = positionals.join(' ');
  switch (command) {
    case 'station add': {
      const kind = v.central ? 'central' : 'station';
      await createStation(
        store,
        { code: required(v.code, 'code'), name: required(v.name, 'name'), regionCode: required(v.region, 'region'), kind },
        now(),
      );
      return `已登记${kind === 'central' ? '中心工作站' : '站点'} ${v.code}\n`;
    }
    case 'enrol': {
      const hours = v.hours === undefined ? undefined : Number(v.hours);
      const { code, expiresAt } = await issueEnrolmentCode(store, required(v.station, 'station'), now(), hours);
      return `设备注册码（一次有效，${expiresAt} 前使用）：${code}\n`;
    }
    case 'operator put': {
      const row = await putOperator(
        store,
        {
          stationCode: required(v.station, 'station'),
          username: required(v.username, 'username'),
          displayName: required(v.name, 'name'),
          role: required(v.role, 'role') as 'teller',
          ...(v.rights ? { rights: v.rights.split(',') as ['accept'] } : {}),
          ...(v.password ? { password: v.password } : {}),
          disabled: v.disabled ?? false,
        },
        now(),
        uuidv7,
      );
      return `账号 ${row.username}（${row.id}）已下发，第${row.version}版\n`;
    }
    case 'publish': {
      const kind = required(v.kind, 'kind');
      if (!isReferenceKind(kind)) throw new Error(`未知的参考数据类型 ${kind}，可选：${REFERENCE_KINDS.join('、')}`);
      const data = JSON.parse(readFileSync(required(v.file, 'file'), 'utf8')) as unknown;
      const { version } = await publishReference(
        store,
        { kind, region: required(v.region, 'region'), effectiveFrom: required(v.from, 'from'), data },
        now(),
      );
      return `已发布 ${kind}（${v.region}）第${version}版，${v.from} 起生效\n`;
    }
    case 'device revoke': {
      const done = await revokeDevice(store, required(v.id, 'id'), now());
      return done ? `设备 ${v.id} 已停用\n` : `没有未停用的设备 ${v.id}\n`;
    }
    default:
      return USAGE;
  }
}
