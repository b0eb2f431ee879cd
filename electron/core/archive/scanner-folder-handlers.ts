import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import type { CallContext, Connection, Handlers } from '../api/handlers';
import { readMeta, writeMeta } from '../backup/meta';
import type { CommandRunner } from '../store/command';
import { pageUploads } from './page-uploads';
import { ensureDemoFolder, folderProblem, listFolder, moveToFiled, stageScan, thumbnail } from './scanner-folder';

type ScannerMethods = 'scanner.settings' | 'scanner.saveSettings' | 'scanner.list' | 'scanner.thumbnail' | 'scanner.stage' | 'scanner.done';

export interface ScannerDeps {
  db: Database;
  /** Holds the demo drop folder and the staged uploads scans are copied into. */
  dataDir: string;
  commands: CommandRunner;
  /** A demo core offers its own drop folder with sample scans until an admin saves another (or none). */
  demo: boolean;
  /** Whether a client sits at this PC: the folder is this PC's, never to be read from elsewhere on the network. */
  isLocal: (connection: Connection) => boolean;
}

/** This PC's setting in the store's `meta` table; absent until an admin saves one. */
const SETTING = 'scanner.folder';
/** The demo drop folder, under the data folder. */
export const DEMO_SCANNER_FOLDER = 'scanner-demo';

/** 扫描导入: the scanner's drop folder of this PC, its setting, and the files waiting in it (scanner-folder.ts). */
export function scannerHandlers(deps: ScannerDeps): Pick<Handlers, ScannerMethods> {
  const { db, commands } = deps;
  const uploads = pageUploads(deps.dataDir);
  const demoFolder = join(deps.dataDir, DEMO_SCANNER_FOLDER);
  const stored = () => readMeta(db, SETTING, deps.demo ? demoFolder : '');
  let demoReady: Promise<void> | null = null;

  /** The configured folder ('' = none), the demo folder made on first use. */
  async function folderSetting(): Promise<string> {
    const folder = stored();
    if (folder === demoFolder) {
      demoReady ??= ensureDemoFolder(folder).catch((error: unknown) => {
        demoReady = null;
        throw error;
      });
      await demoReady;
    }
    return folder;
  }

  const assertLocal = ({ connection }: CallContext) => {
    if (!deps.isLocal(connection)) throw new ApiError('FORBIDDEN', '扫描文件夹只能在本机使用');
  };

  async function localFolder(ctx: CallContext): Promise<string> {
    assertLocal(ctx);
    const folder = await folderSetting();
    if (!folder) throw new ApiError('CONFLICT', '本机未设置扫描文件夹，请管理员在“设备设置”中填写');
    return folder;
  }

  return {
    'scanner.settings': async () => ({ folder: await folderSetting() }),

    'scanner.saveSettings'({ folder }, { actor }) {
      const problem = folder ? folderProblem(folder) : null;
      if (problem) throw new ApiError('VALIDATION', problem, { issues: [{ path: 'folder', message: problem }] });
      commands.run(actor, () => {
        const before = stored();
        writeMeta(db, SETTING, folder);
        // The path means nothing to the central office: audited here only, no outbox operation.
        return {
          result: null,
          audit: { action: 'scanner.settings', class: 'key', entityType: 'scanner_folder', before: { folder: before }, after: { folder } },
        };
      });
      return { folder };
    },

    async 'scanner.list'(_params, ctx) {
      assertLocal(ctx);
      const folder = await folderSetting();
      if (!folder) return { folder: null, files: [], more: 0 };
      return { folder, ...listFolder(folder) };
    },

    async 'scanner.thumbnail'({ name }, ctx) {
      return { dataUrl: await thumbnail(await localFolder(ctx), name) };
    },

    async 'scanner.stage'({ name }, ctx) {
      return { name, ...stageScan(await localFolder(ctx), name, uploads) };
    },

    async 'scanner.done'({ names }, ctx) {
      const folder = await localFolder(ctx);
      const moved = moveToFiled(folder, names);
      // The files have moved whatever happens next: the entry records what did, never what was only asked for.
      if (moved.length > 0) {
        commands.run(ctx.actor, () => ({
          result: null,
          audit: { action: 'scanner.filed', class: 'general', entityType: 'scanner_folder', after: { folder, moved } },
        }));
      }
      return { moved: moved.map((m) => m.name) };
    },
  };
}
