import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints a one-line file as if it lived at `filePath`, returning the layering errors. */
async function layeringErrors(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(`${source}\nexport const x = y;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    ['shared/domain/x.ts', "import { readFileSync as y } from 'node:fs';"],
    ['shared/domain/x.ts', "import y from 'fs';"],
    ['shared/domain/x.ts', "import y from 'electron';"],
    ['shared/domain/x.ts', "import { createCore as y } from '#core/index';"],
    ['shared/domain/x.ts', "import y from '../../electron/core/index';"],
    ['renderer/src/pages/x.ts', "import { ipcRenderer as y } from 'electron';"],
    ['renderer/src/pages/x.ts', "import y from 'node:path';"],
    ['renderer/src/pages/x.ts', "import { createCore as y } from '#core/index';"],
    ['renderer/src/pages/x.ts', "import y from '../../../electron/core/index';"],
    ['electron/core/x/x.ts', "import { app as y } from 'electron';"],
    ['electron/core/x/x.ts', "import y from '../../main/index';"],
    ['electron/core/x/x.ts', "import y from '../../../renderer/src/main';"],
    ['electron/preload/x.ts', "import y from 'node:fs';"],
    ['electron/preload/x.ts', "import y from '#core/index';"],
    ['electron/main/x.ts', "import y from '@electron/remote';"],
    ['server/src/x.ts', "import y from '#core/index';"],
    ['server/src/x.ts', "import y from 'electron';"],
    ['tests/sync/x.ts', "import y from '../../renderer/src/main';"],
    ['tests/sync/x.ts', "import y from '../../electron/main/index';"],
    ['tests/sync/x.ts', "import { app as y } from 'electron';"],
  ])('fails %s: %s', async (file, source) => {
    expect((await layeringErrors(file, source)).length).toBeGreaterThan(0);
  });

  it.each([
    ['shared/domain/x.ts', "import y from 'zod';"],
    ['shared/api/x.ts', "import y from '../domain/roles';"],
    ['shared/api/x.ts', "import y from './events';"],
    ['renderer/src/pages/x.ts', "import y from '#shared/api/contract';"],
    // A package path that happens to contain a layer's name is not that layer.
    ['renderer/src/pages/x.ts', "import * as y from 'echarts/core';"],
    ['electron/core/x/x.ts', "import y from 'node:fs';"],
    ['electron/core/x/x.ts', "import y from '#shared/api/contract';"],
    ['electron/main/x.ts', "import { app as y } from 'electron';"],
    ['electron/main/x.ts', "import y from '#core/index';"],
    ['electron/preload/x.ts', "import { contextBridge as y } from 'electron';"],
    ['server/src/x.ts', "import y from '#shared/api/contract';"],
    ['tests/sync/x.ts', "import y from '#core/index';"],
    ['tests/sync/x.ts', "import y from '../../server/src/app';"],
    ['tests/sync/x.ts', "import y from 'node:fs';"],
  ])('allows %s: %s', async (file, source) => {
    expect(await layeringErrors(file, source)).toEqual([]);
  });
});
