// "Start Ferry when I log in" (settings.desktop.startAtLogin) made so in the OS, and whether
// this launch is such a start (then Ferry stays in the tray). macOS and Windows through
// app.setLoginItemSettings, Windows registering the command with --hidden; Linux, where
// Electron has no such API, through an XDG autostart entry that runs Ferry with --hidden.
// The OS's own switch (System Settings, Task Manager, a deleted autostart file) counts: at
// start Ferry takes what the OS does as the setting, and only a change of the setting after
// that is written to the OS.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { App } from 'electron';

export const HIDDEN_FLAG = '--hidden';
const AUTOSTART_FILE = 'ferry.desktop';

export interface LoginItemDeps {
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  platform: NodeJS.Platform;
  /** Linux: the XDG autostart folder. */
  autostartDir: string;
  /** Linux: the command that starts this app (--hidden is added). */
  command: string[];
  log: (message: string) => void;
}

export function defaultAutostartDir(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(config, 'autostart');
}

/** Linux: what starts this app: the AppImage itself (not its temporary mount), or the executable (and the app path when run as `electron <app>`). */
export function launchCommand(env: NodeJS.ProcessEnv, execPath: string, appPath: string | null): string[] {
  if (env.APPIMAGE) return [env.APPIMAGE];
  return appPath ? [execPath, appPath] : [execPath];
}

/** One argument of a desktop entry's Exec key: quoted when it needs to be, then escaped as the key's string value. */
export function execArg(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new Error(`a line break in ${JSON.stringify(arg)} cannot go in an autostart entry`);
  const quoted = /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  return quoted.replace(/%/g, '%%').replace(/\\/g, '\\\\');
}

export function autostartEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Ferry',
    'Comment=Receive files from devices on the local network',
    `Exec=${[...command, HIDDEN_FLAG].map(execArg).join(' ')}`,
    'Icon=ferry',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export class LoginItem {
  /** What the OS was last set to (or found doing); null before either. */
  private applied: boolean | null = null;

  constructor(private readonly deps: LoginItemDeps) {}

  /**
   * At start: returns what the setting should become when the OS does otherwise (the user
   * switched it there), else null. Where the OS cannot tell, the setting is applied.
   */
  init(setting: boolean): boolean | null {
    const now = this.current();
    if (now === null) {
      this.apply(setting);
      return null;
    }
    this.applied = now;
    // The autostart entry may name an AppImage since moved or replaced: write it again.
    if (now && this.deps.platform === 'linux') this.write(true);
    return now === setting ? null : now;
  }

  /** The setting (as a 'state' event carries it): written to the OS when it differs from what was last. */
  apply(open: boolean): void {
    if (open === this.applied) return;
    this.applied = open;
    this.write(open);
  }

  /** macOS: this launch is the OS starting Ferry at login (Windows and Linux pass --hidden). */
  openedAtLogin(): boolean {
    if (this.deps.platform !== 'darwin') return false;
    try {
      return this.deps.app.getLoginItemSettings().wasOpenedAtLogin === true;
    } catch {
      return false;
    }
  }

  /** Whether the OS starts Ferry at login; null where that cannot be told. */
  current(): boolean | null {
    try {
      switch (this.deps.platform) {
        case 'darwin':
          return this.deps.app.getLoginItemSettings().openAtLogin;
        case 'win32': {
          // Same args as registered, or Windows reports another command; disabled in Task Manager counts as off.
          const s = this.deps.app.getLoginItemSettings({ args: [HIDDEN_FLAG] });
          return s.openAtLogin && s.executableWillLaunchAtLogin !== false;
        }
        case 'linux': {
          const entry = fs.readFileSync(path.join(this.deps.autostartDir, AUTOSTART_FILE), 'utf8');
          return !/^Hidden\s*=\s*true\s*$/m.test(entry) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(entry);
        }
        default:
          return null;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      this.deps.log(`cannot tell whether Ferry starts at login: ${String(err)}`);
      return null;
    }
  }

  private write(open: boolean): void {
    try {
      if (this.deps.platform === 'darwin') this.deps.app.setLoginItemSettings({ openAtLogin: open });
      else if (this.deps.platform === 'win32') this.deps.app.setLoginItemSettings({ openAtLogin: open, args: [HIDDEN_FLAG] });
      else if (this.deps.platform === 'linux') this.writeAutostart(open);
    } catch (err) {
      this.deps.log(`cannot ${open ? 'add Ferry to' : 'remove Ferry from'} the programs started at login: ${String(err)}`);
    }
  }

  private writeAutostart(open: boolean): void {
    const file = path.join(this.deps.autostartDir, AUTOSTART_FILE);
    if (!open) {
      fs.rmSync(file, { force: true });
      return;
    }
    fs.mkdirSync(this.deps.autostartDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, autostartEntry(this.deps.command), { mode: 0o644 });
    fs.renameSync(temp, file);
  }
}
