// The settings in force: what settings.json holds, unless the command line that started this
// Ferry fixed a value (`ferry serve --dir …`). A UI sees the values in force and which are
// fixed, and a change to a fixed one is refused rather than "saved" without effect. The
// download folder is checked for what it must be: a folder Ferry can write to.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { FixedSetting, SettingsView } from '../contract/index.js';
import { FerryError } from '../errors.js';
import { makeFolders } from '../folders.js';
import type { StoredSettings } from '../store/settings-file.js';
import type { FerryAppOptions } from './app-options.js';
import type { SettingsChange } from './settings-patch.js';

type Overrides = NonNullable<FerryAppOptions['overrides']>;

const FIXABLE: readonly FixedSetting[] = ['downloadDir', 'port', 'acceptPolicy', 'announce', 'localsend', 'localsendPort', 'localsendPin'];

const NAMES: Record<FixedSetting, string> = {
  downloadDir: 'The download folder',
  port: 'The port',
  acceptPolicy: 'Who may send files',
  announce: 'Visibility',
  localsend: 'Speaking LocalSend',
  localsendPort: 'The LocalSend port',
  localsendPin: 'The LocalSend PIN',
};

/** The settings in force, with what the command line fixed. */
export function effectiveSettings(
  stored: StoredSettings,
  overrides: Overrides,
  desktop = false,
): Omit<SettingsView, 'deviceName' | 'secretEnabled'> {
  const pin = overrides.localsendPin !== undefined ? overrides.localsendPin : stored.localsendPin;
  const fixed = FIXABLE.filter((k) => overrides[k] !== undefined);
  return {
    downloadDir: overrides.downloadDir ?? stored.downloadDir,
    port: overrides.port ?? stored.port,
    acceptPolicy: overrides.acceptPolicy ?? stored.acceptPolicy,
    announce: overrides.announce ?? stored.announce,
    notifications: stored.notifications,
    language: stored.language,
    localsend: overrides.localsend ?? stored.localsend,
    localsendPort: overrides.localsendPort ?? stored.localsendPort,
    localsendPinEnabled: pin !== null,
    desktop: desktop ? { startAtLogin: stored.startAtLogin, closeToTray: stored.closeToTray } : null,
    fixed,
  };
}

/**
 * Refuses a change to a value the command line fixed (the same value is no change, so a UI
 * that sends the whole form back is not refused).
 */
export function refuseFixed(change: SettingsChange, stored: StoredSettings, overrides: Overrides): void {
  const now = effectiveSettings(stored, overrides);
  for (const k of now.fixed) {
    // The PIN is not a field of a settings change (setLocalSendPin refuses it when fixed).
    if (k === 'localsendPin') continue;
    if (change[k] !== undefined && change[k] !== now[k]) {
      throw new FerryError('INVALID_STATE', `${NAMES[k]} was set on the command line that started Ferry, so it cannot be changed here`);
    }
    delete change[k];
  }
}

/**
 * A download folder must be a folder Ferry can create files in. Missing is NOT_FOUND (a UI
 * offers to create it); a file, a folder Ferry cannot write to, or no folder at all is BAD_CONFIG.
 */
export async function checkDownloadDir(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new FerryError('NOT_FOUND', `${dir} does not exist`);
    throw new FerryError('BAD_CONFIG', `Ferry cannot use ${dir}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`);
  });
  if (!st.isDirectory()) throw new FerryError('BAD_CONFIG', `${dir} is a file, not a folder`);
  // access(W_OK) says yes to root on read-only and virtual file systems: creating a file is the test.
  const probe = path.join(dir, `.ferry-write-test-${randomBytes(6).toString('hex')}`);
  try {
    await (await fs.open(probe, 'wx')).close();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FerryError(
      'BAD_CONFIG',
      `Ferry cannot save files in ${dir}${code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? ': permission denied' : ''}`,
    );
  }
  await fs.unlink(probe).catch(() => {});
}

/** Creates a download folder (and its parents), then checks it as above. */
export async function createDownloadDir(dir: string): Promise<void> {
  if (!path.isAbsolute(dir)) throw new FerryError('BAD_CONFIG', 'The download folder must be a full path, such as /home/you/Downloads');
  await makeFolders(dir);
  await checkDownloadDir(dir);
}
