// The desktop app's own settings (SettingsView.desktop, null elsewhere): starting with the
// computer, and whether closing the window leaves Ferry receiving in the tray. Applied at once.

import type { DesktopSettingsView, SettingsView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { Switch } from '../ui/Switch.js';

export function DesktopSettings({ desktop }: { desktop: NonNullable<SettingsView['desktop']> }) {
  const bridge = useBridge();
  const run = useRun();
  // Each switch on its own: sending both would put back a value the other one changed a moment before.
  const save = (change: Partial<DesktopSettingsView>): void =>
    void run(() => bridge.updateSettings({ desktop: change }), { prefix: 'Could not change the setting' });
  return (
    <section className="panel" aria-labelledby="settings-desktop">
      <h2 id="settings-desktop" className="panel-title">
        Desktop
      </h2>
      <div className="card settings-card">
        <Switch
          label="Start Ferry when I log in"
          description="Ferry starts in the tray, ready to receive, without opening its window."
          checked={desktop.startAtLogin}
          onChange={(startAtLogin) => save({ startAtLogin })}
        />
        <Switch
          label="Keep receiving when the window is closed (in the tray)"
          description={
            desktop.closeToTray
              ? 'Closing the window leaves Ferry in the tray, where offers still reach you; quit it from the tray’s menu.'
              : 'Closing the window quits Ferry: nothing is received until you open it again.'
          }
          checked={desktop.closeToTray}
          onChange={(closeToTray) => save({ closeToTray })}
        />
      </div>
    </section>
  );
}
