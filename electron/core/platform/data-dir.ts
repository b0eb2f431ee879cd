import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder used when DATA_DIR is not given. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'yichuang');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'yichuang');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'yichuang');
}
