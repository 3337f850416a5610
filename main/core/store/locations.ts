// Where Ferry keeps its configuration and puts received files by default, following each
// operating system's conventions (FERRY_CONFIG_DIR overrides, for tests and portable setups).

import * as os from 'node:os';
import * as path from 'node:path';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FERRY_CONFIG_DIR) return env.FERRY_CONFIG_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ferry');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'ferry');
}

export function defaultDownloadDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  const xdg = env.XDG_DOWNLOAD_DIR;
  return path.join(xdg || path.join(home, 'Downloads'), 'Ferry');
}
