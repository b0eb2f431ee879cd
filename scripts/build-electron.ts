import { build } from 'esbuild';

// Native modules and pino (which loads its transports at run time) stay in node_modules.
const NODE_MODULES = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'node-thermal-printer', '@napi-rs/canvas', 'pino'];

/**
 * Bundles the Electron shell: main (with the core) as one CJS file, and the
 * preload as one self-contained CJS file, because a sandboxed preload cannot require.
 */
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' } as const;

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'dist/electron/main.cjs', external: NODE_MODULES }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
]);
