// The desktop app's own settings (SettingsView.desktop, null elsewhere): starting with the
// computer, and whether closing the window leaves Ferry receiving in the tray. Applied at once.

import { useTranslation } from 'react-i18next';
import type { DesktopSettingsView, SettingsView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { Switch } from '../ui/Switch.js';

export function DesktopSettings({ desktop }: { desktop: NonNullable<SettingsView['desktop']> }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  // Each switch on its own: sending both would put back a value the other one changed a moment before.
  const save = (change: Partial<DesktopSettingsView>): void =>
    void run(() => bridge.updateSettings({ desktop: change }), { prefix: t('settings.changeFailed') });
  return (
    <section className="panel" aria-labelledby="settings-desktop">
      <h2 id="settings-desktop" className="panel-title">
        {t('settings.sections.desktop')}
      </h2>
      <div className="card settings-card">
        <Switch
          label={t('settings.desktop.startAtLogin')}
          description={t('settings.desktop.startAtLoginHelp')}
          checked={desktop.startAtLogin}
          onChange={(startAtLogin) => save({ startAtLogin })}
        />
        <Switch
          label={t('settings.desktop.closeToTray')}
          description={desktop.closeToTray ? t('settings.desktop.closeToTrayOn') : t('settings.desktop.closeToTrayOff')}
          checked={desktop.closeToTray}
          onChange={(closeToTray) => save({ closeToTray })}
        />
      </div>
    </section>
  );
}
