import { spawn } from 'node:child_process';
import { electronBinary } from './electron-binary';

/**
 * `npm start`: the Electron app with demo data and simulated devices. Where no Electron
 * binary could be installed, says so and serves the same app to a browser instead.
 */
const exe = electronBinary();
const child = exe
  ? spawn(exe, ['.'], { stdio: 'inherit', env: { ...process.env, YICHUANG_DEMO: '1' } })
  : (process.stdout.write('未找到 Electron 程序（此机器无法下载 Electron），改为浏览器模式启动：\n'),
    spawn(process.execPath, ['--import', 'tsx', 'electron/host/web.ts'], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
