import { execFileSync } from 'node:child_process';

/**
 * `npm run dist`: packaging is the only step allowed to fetch Electron's headers and
 * binary. Native modules are rebuilt for Electron's ABI, the installer is built, and
 * then they are rebuilt for plain Node again so the tests keep running on this checkout.
 * Set E2E_FLAVOUR=1 to keep the CLI-inspect fuse on, which Playwright's _electron needs.
 */
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'inherit' });
const e2e = process.env.E2E_FLAVOUR === '1';

try {
  run('npx', ['electron-builder', 'install-app-deps']);
  run('npx', ['electron-builder', '--publish', 'never', ...(e2e ? ['-c.electronFuses.enableNodeCliInspectArguments=true'] : [])]);
} finally {
  run('npm', ['rebuild', 'better-sqlite3', '@serialport/bindings-cpp']);
}
