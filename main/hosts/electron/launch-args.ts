// What a launch of Ferry asks for on its command line: --hidden (started at login: stay in the
// tray) and files or folders to send ("Open with Ferry", or a second launch, whose command line
// reaches the first instance). File managers may pass file:// URLs; switches Chromium adds
// (and any other argument starting with '-') are not paths. Only paths that exist are kept.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HIDDEN_FLAG } from './login-item.js';

export interface LaunchArgs {
  hidden: boolean;
  /** Absolute paths of existing files and folders, each once. */
  paths: string[];
}

/** The most paths one send takes (COMMANDS.sendPaths). */
const MAX_PATHS = 10_000;

/**
 * `skip`: how many leading arguments are the program itself: 1 (the executable), or 2 when
 * run as `electron <app path>` (process.defaultApp).
 */
export function parseLaunchArgs(argv: readonly string[], cwd: string, skip: number): LaunchArgs {
  const args = argv.slice(skip).filter((a): a is string => typeof a === 'string');
  const paths = new Set<string>();
  for (const arg of args) {
    if (arg.startsWith('-') || paths.size >= MAX_PATHS) continue;
    let p: string;
    try {
      p = arg.startsWith('file://') ? fileURLToPath(arg) : path.resolve(cwd, arg);
    } catch {
      continue; // a file:// URL of another host
    }
    if (isFileOrFolder(p)) paths.add(p);
  }
  return { hidden: args.includes(HIDDEN_FLAG), paths: [...paths] };
}

function isFileOrFolder(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return st.isFile() || st.isDirectory();
  } catch {
    return false;
  }
}
