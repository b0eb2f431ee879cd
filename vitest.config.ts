import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Core tests run with `electron` aliased to a module that throws on import, so a
// stray import of Electron from the Node core fails the suite instead of passing silently.
const electronTrap = fileURLToPath(new URL('./scripts/test/electron-trap.ts', import.meta.url));

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/core/**/*.test.ts',
      'electron/host/**/*.test.ts',
      'electron/main/**/*.test.ts',
      'server/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tests/**/*.test.ts',
      'renderer/src/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    alias: { electron: electronTrap },
    testTimeout: 20_000,
  },
});
