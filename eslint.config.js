import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The layering rule, enforced here rather than remembered (see docs/ARCHITECTURE.md):
 * renderer → shared, electron core → shared, server → shared, shared → nothing of ours.
 * Only electron/main and electron/preload import `electron`.
 */
const esc = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map(esc).join('|');
const noNode = { regex: `^(node:.*|(${nodeBuiltins})(/.*)?)$`, message: 'Node built-ins are not available in this layer.' };
const noElectron = { regex: '^(electron|@electron/remote)(/.*)?$', message: 'Only electron/main and electron/preload import electron.' };
// Matches `#name/...` aliases and any relative path that passes through a folder of that name (a package path such as
// `echarts/core` is not one of our folders).
const folder = (name, message) => ({ regex: `^(#${name}/.*|\\.{1,2}/(.*/)?${name}(/.*)?)$`, message });

const layers = [
  {
    files: ['shared/**/*.ts'],
    patterns: [noElectron, noNode, folder('core', 'shared imports nothing of ours.'), folder('electron', 'shared imports nothing of ours.'), folder('renderer', 'shared imports nothing of ours.'), folder('server', 'shared imports nothing of ours.')],
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    patterns: [noElectron, noNode, folder('core', 'The renderer reaches the core only through a transport.'), folder('electron', 'The renderer imports only shared/.'), folder('server', 'The renderer imports only shared/.')],
  },
  {
    files: ['electron/core/**/*.ts'],
    patterns: [noElectron, folder('renderer', 'The core never imports the UI.'), folder('main', 'The core never imports the Electron shell.'), folder('preload', 'The core never imports the Electron shell.'), folder('host', 'The core never imports its hosts.')],
  },
  {
    files: ['electron/host/**/*.ts'],
    patterns: [noElectron, folder('renderer', 'The host serves the built renderer; it never imports it.'), folder('main', 'The host is not the Electron shell.')],
  },
  {
    files: ['electron/main/**/*.ts'],
    patterns: [{ regex: '^@electron/remote', message: 'No remote module.' }, folder('renderer', 'main never imports the UI.'), folder('preload', 'main never imports the preload.'), folder('host', 'main does not use the Node host.')],
  },
  {
    files: ['electron/preload/**/*.ts'],
    patterns: [noNode, { regex: '^@electron/remote', message: 'No remote module.' }, folder('core', 'The preload only forwards to main.'), folder('renderer', 'The preload never imports the UI.')],
  },
  {
    // Cross-system tests join a real core and a real central office; they never reach into the UI or the shell.
    files: ['tests/**/*.ts'],
    patterns: [noElectron, folder('renderer', 'tests/ drives the core and the server, not the UI.'), folder('main', 'tests/ does not use the Electron shell.'), folder('preload', 'tests/ does not use the Electron shell.')],
  },
  {
    files: ['server/**/*.ts'],
    patterns: [noElectron, folder('core', 'server imports only shared/.'), folder('electron', 'server imports only shared/.'), folder('renderer', 'server imports only shared/.')],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'scripts/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Playwright fixtures take `{}` as their first argument by design.
  { files: ['**/e2e/**/*.ts'], rules: { 'no-empty-pattern': 'off' } },
  ...layers.map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } })),
);
