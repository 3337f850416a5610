// The settings as FerryApp holds them: settings.json as loaded, what the command line fixed for
// this run, and each change from a UI checked (its fields, what is fixed, what only the desktop
// app has, the download folder) and saved before anything acts on it. What a change moves
// (receivers, discovery) is the app's to do, from the before and after this returns.

import type { SettingsView } from '../contract/index.js';
import { FerryError } from '../errors.js';
import { isLocalSendPin, loadSettings, saveSettings, type StoredSettings } from '../store/settings-file.js';
import type { FerryAppOptions } from './app-options.js';
import { checkSettingsPatch, type SettingsChange } from './settings-patch.js';
import { checkDownloadDir, effectiveSettings, refuseFixed } from './settings-state.js';

type Overrides = NonNullable<FerryAppOptions['overrides']>;

export class SettingsStore {
  private constructor(
    private stored: StoredSettings,
    private readonly configDir: string,
    readonly overrides: Overrides,
    private readonly desktop: boolean,
  ) {}

  static async load(configDir: string, overrides: Overrides, desktop: boolean): Promise<SettingsStore> {
    return new SettingsStore(await loadSettings(configDir), configDir, overrides, desktop);
  }

  /** The values in force, with what the command line fixed. */
  get effective(): Omit<SettingsView, 'deviceName' | 'secretEnabled'> {
    return effectiveSettings(this.stored, this.overrides, this.desktop);
  }

  get localsendPin(): string | null {
    return this.overrides.localsendPin !== undefined ? this.overrides.localsendPin : this.stored.localsendPin;
  }

  /**
   * Checks and saves a change from a UI. The device name is not a setting of this file: it is
   * returned apart, for the identity. Throws BAD_CONFIG, INVALID_STATE or NOT_FOUND (a missing
   * download folder, which a UI offers to create).
   */
  async change(patch: Record<string, unknown>): Promise<{ before: StoredSettings; after: StoredSettings; deviceName?: string }> {
    const change: SettingsChange = checkSettingsPatch(patch);
    refuseFixed(change, this.stored, this.overrides);
    if ((change.startAtLogin !== undefined || change.closeToTray !== undefined) && !this.desktop) {
      throw new FerryError('INVALID_STATE', 'Starting at login and the tray are settings of the desktop app');
    }
    if (change.downloadDir !== undefined && change.downloadDir !== this.stored.downloadDir) await checkDownloadDir(change.downloadDir);
    const { deviceName, ...rest } = change;
    const before = this.stored;
    this.stored = { ...this.stored, ...rest };
    await saveSettings(this.configDir, this.stored);
    return { before, after: this.stored, ...(deviceName !== undefined ? { deviceName } : {}) };
  }

  /** Sets (4 to 64 characters) or clears LocalSend's receive PIN. */
  async setLocalSendPin(pin: string | null): Promise<void> {
    if (this.overrides.localsendPin !== undefined) {
      throw new FerryError(
        'INVALID_STATE',
        'The LocalSend PIN was set on the command line that started Ferry, so it cannot be changed here',
      );
    }
    if (pin !== null && !isLocalSendPin(pin)) throw new FerryError('BAD_CONFIG', 'A PIN has 4 to 64 characters');
    this.stored = { ...this.stored, localsendPin: pin };
    await saveSettings(this.configDir, this.stored);
  }
}
