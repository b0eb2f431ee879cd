import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { STORE_FILE } from '#core/index';
import { BackupFileError } from '#core/backup/backup-file';
import { RestoreRefused, restoreBackup } from '#core/backup/restore';
import { systemClock } from '#core/platform/deps';
import { createPinoLogger } from '#core/platform/logger';

/**
 * `npm run backup:restore -- <file> --to <empty folder> --station <code> (--key-file <path> | --key <base64>)`
 * Restores a station backup and its material pages into a fresh data folder; start the app with DATA_DIR pointing there.
 * Pages missing from the backup folder or damaged there are listed, not restored; the store is restored all the same.
 */
const usage = '用法：npm run backup:restore -- <备份文件> --to <空数据目录> --station <站点编码> (--key-file <密钥文件> | --key <密钥>)\n';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { to: { type: 'string' }, station: { type: 'string' }, 'key-file': { type: 'string' }, key: { type: 'string' } },
});
const file = positionals[0];
const keyText = values.key ?? (values['key-file'] ? readFileSync(values['key-file'], 'utf8') : undefined);
if (!file || !values.to || !values.station || !keyText) {
  process.stderr.write(usage);
  process.exit(2);
}
try {
  const { header, pages } = await restoreBackup({
    file,
    key: Buffer.from(keyText.trim(), 'base64'),
    dataDir: values.to,
    stationCode: values.station,
    storeFile: STORE_FILE,
    // The restored store's audit log records the restore as a system action: no operator ran it inside the app.
    actor: { operatorId: null, windowNo: null },
    deps: { clock: systemClock, newId: uuidv7, logger: createPinoLogger({ level: 'warn' }) },
  });
  const rows = Object.entries(header.counts)
    .map(([table, n]) => `${table} ${n}`)
    .join('，');
  process.stdout.write(`已恢复站点 ${header.stationCode} 于 ${header.createdAt} 的备份到 ${values.to}\n记录数：${rows}\n`);
  process.stdout.write(`材料影像：共 ${pages.total} 页，已恢复并逐页校验 ${pages.restored} 页\n`);
  if (pages.problems.length) {
    process.stdout.write(
      `未能恢复 ${pages.problems.length} 页（缺失 ${pages.missing} 页，损坏 ${pages.damaged} 页），这些页不会显示，注册同步后可从中心重新获取：\n`,
    );
    for (const { sha256, found } of pages.problems) process.stdout.write(`  ${found === 'missing' ? '缺失' : '损坏'} ${sha256}\n`);
  }
  process.stdout.write(`请以 DATA_DIR=${values.to} 启动一窗通；同步会从中心补齐备份之后的数据。\n`);
} catch (err) {
  if (err instanceof RestoreRefused || err instanceof BackupFileError) {
    process.stderr.write(`恢复被拒绝：${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
