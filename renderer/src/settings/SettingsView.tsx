// Settings: this device, receiving, the desktop app's own, LocalSend, security and trusted
// devices. Switches and the select apply at once; text fields when the user is done with them.

import { useId, useRef, useState } from 'react';
import type { AcceptPolicy, SettingsPatch } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { formatWhen } from '../state/format.js';
import { ACCEPT_POLICIES, checkDeviceName, FIXED_NOTE } from '../state/settings.js';
import { PartialFiles } from './PartialFiles.js';
import { askNotificationPermission } from '../hooks/attention.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { Switch } from '../ui/Switch.js';
import { CommitField } from './CommitField.js';
import { DesktopSettings } from './DesktopSettings.js';
import { PortField } from './PortField.js';
import { LocalSendSettings } from './LocalSendSettings.js';
import { SecretSettings } from './SecretSettings.js';

type Patch = SettingsPatch;

function useSave(): (patch: Patch) => Promise<string | null> {
  const bridge = useBridge();
  const run = useRun();
  return async (patch) => {
    const r = await run(() => bridge.updateSettings(patch), { quiet: true });
    return r.ok ? null : r.message;
  };
}

function DownloadFolder({ dir, fixed }: { dir: string; fixed: boolean }) {
  const bridge = useBridge();
  const run = useRun();
  const id = useId();
  // A typed folder that does not exist yet: created only once the person says so.
  const [missing, setMissing] = useState<string | null>(null);
  if (!bridge.host.nativePickers) {
    const commit = async (text: string): Promise<string | null> => {
      const wanted = text.trim();
      setMissing(null);
      const r = await run(() => bridge.updateSettings({ downloadDir: wanted }), { quiet: true });
      if (r.ok) return null;
      if (r.code === 'NOT_FOUND') {
        setMissing(wanted);
        return 'That folder does not exist yet.';
      }
      return r.message;
    };
    const create = async (folder: string): Promise<void> => {
      const r = await run(() => bridge.createDownloadDir(folder), { prefix: `Could not create ${folder}` });
      if (r.ok) setMissing(null);
    };
    return (
      <>
        <CommitField
          label="Download folder"
          help="Where received files are saved, on the computer running Ferry."
          value={dir}
          mono
          {...(fixed ? { fixedNote: FIXED_NOTE.downloadDir } : {})}
          check={(t) => (t.trim() ? null : 'Enter a folder path.')}
          onCommit={commit}
        />
        {missing && (
          <div className="setting-row setting-consent" role="group" aria-label="Create the download folder">
            <p className="setting-help">
              <span className="mono">{missing}</span> does not exist. Create it and save files there?
            </p>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void create(missing)}>
              Create folder
            </button>
          </div>
        )}
      </>
    );
  }
  const choose = async (): Promise<void> => {
    const picked = await run(() => bridge.pickFolder(), { prefix: 'Could not open the folder picker' });
    if (picked.ok && picked.value)
      await run(() => bridge.updateSettings({ downloadDir: picked.value! }), { prefix: 'Could not change the download folder' });
  };
  return (
    <div className="setting-row">
      <div className="setting-text">
        <p className="setting-label" id={`${id}-label`}>
          Download folder
        </p>
        <p className="setting-help">{fixed ? FIXED_NOTE.downloadDir : 'Where received files are saved.'}</p>
      </div>
      <div className="setting-control folder-control">
        <span className="folder-path mono" id={`${id}-path`} title={dir}>
          <Icon name="folder" size={16} /> {dir}
        </span>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          aria-describedby={`${id}-label ${id}-path`}
          disabled={fixed}
          onClick={() => void choose()}
        >
          Choose…
        </button>
      </div>
    </div>
  );
}

function AcceptPolicySelect({ value, fixed }: { value: AcceptPolicy; fixed: boolean }) {
  const bridge = useBridge();
  const run = useRun();
  const id = useId();
  const current = ACCEPT_POLICIES.find((p) => p.value === value);
  return (
    <div className="setting-row">
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          When someone sends files
        </label>
        <p className="setting-help" id={`${id}-help`}>
          {fixed ? `${current?.help ?? ''} ${FIXED_NOTE.acceptPolicy}` : current?.help}
        </p>
      </div>
      <div className="setting-control">
        <select
          id={id}
          className="input select"
          value={value}
          disabled={fixed}
          aria-describedby={`${id}-help`}
          onChange={(e) =>
            void run(() => bridge.updateSettings({ acceptPolicy: e.target.value as AcceptPolicy }), {
              prefix: 'Could not change the setting',
            })
          }
        >
          {ACCEPT_POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function TrustedDevices() {
  const { trusted } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  if (trusted.length === 0) {
    return (
      <p className="setting-help padded">
        No trusted devices. Choose “Always accept from this device” when a device sends you files to add it here.
      </p>
    );
  }
  return (
    <ul className="trusted-list" aria-label="Trusted devices">
      {trusted.map((d) => (
        <li key={d.id} className="trusted-row">
          <Icon name="shield" size={18} className="trusted-icon" />
          <div className="trusted-main">
            <p className="trusted-name">{d.name}</p>
            <p className="trusted-sub">
              Trusted {formatWhen(d.addedAt)} ·{' '}
              <span className="mono" title={d.id}>
                {d.id.slice(0, 16)}…
              </span>
            </p>
          </div>
          <button
            type="button"
            className="btn btn-ghost btn-small btn-danger-text"
            onClick={() => void run(() => bridge.untrustDevice(d.id), { prefix: `Could not remove ${d.name}` })}
          >
            Remove<span className="sr-only"> {d.name} from trusted devices</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function SettingsView() {
  const { settings, device } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  const save = useSave();
  const trustedCard = useRef<HTMLDivElement>(null);
  // A removed device takes its Remove button along: focus goes to the next one's, or the heading.
  useFocusRescue(trustedCard, () => document.getElementById('settings-trusted'));
  const toggle = (patch: Patch): void => void run(() => bridge.updateSettings(patch), { prefix: 'Could not change the setting' });
  const fixed = new Set(settings.fixed);

  return (
    <div className="settings">
      <section className="panel" aria-labelledby="settings-device">
        <h2 id="settings-device" className="panel-title">
          This device
        </h2>
        <div className="card settings-card">
          <CommitField
            label="Device name"
            help="How this computer appears to others."
            value={settings.deviceName}
            check={(t) => {
              const r = checkDeviceName(t);
              return r.ok ? null : r.message;
            }}
            onCommit={(t) => save({ deviceName: t.trim() })}
          />
          <Switch
            label="Visible to others"
            description={
              fixed.has('announce')
                ? FIXED_NOTE.announce
                : 'Announce this device on the local network. Others can still add it by address when this is off.'
            }
            checked={settings.announce}
            disabled={fixed.has('announce')}
            onChange={(announce) => toggle({ announce })}
          />
        </div>
      </section>

      <section className="panel" aria-labelledby="settings-receiving">
        <h2 id="settings-receiving" className="panel-title">
          Receiving
        </h2>
        <div className="card settings-card">
          <DownloadFolder dir={settings.downloadDir} fixed={fixed.has('downloadDir')} />
          <AcceptPolicySelect value={settings.acceptPolicy} fixed={fixed.has('acceptPolicy')} />
          <PortField
            label="Port"
            help={
              <>
                The TCP port others connect to
                {device.port !== null && device.port !== settings.port ? ` (now listening on ${device.port})` : ''}. Changing it restarts
                receiving.
              </>
            }
            value={settings.port}
            fixedNote={fixed.has('port') ? FIXED_NOTE.port : undefined}
            save={(port) => save({ port })}
          />
          <Switch
            label="Notifications"
            description="Tell me when files arrive or a transfer finishes while Ferry is in the background."
            checked={settings.notifications}
            onChange={(notifications) => {
              // The browser asks only from a click: this one.
              if (notifications && bridge.host.kind === 'browser') void askNotificationPermission();
              toggle({ notifications });
            }}
          />
          <PartialFiles />
        </div>
      </section>

      {settings.desktop && <DesktopSettings desktop={settings.desktop} />}

      <LocalSendSettings save={save} />

      <section className="panel" aria-labelledby="settings-security">
        <h2 id="settings-security" className="panel-title">
          Security
        </h2>
        <div className="card settings-card">
          <SecretSettings enabled={settings.secretEnabled} />
        </div>
      </section>

      <section className="panel" aria-labelledby="settings-trusted">
        <h2 id="settings-trusted" className="panel-title" tabIndex={-1}>
          Trusted devices
        </h2>
        <div className="card settings-card" ref={trustedCard}>
          <TrustedDevices />
        </div>
      </section>

      <p className="about">
        Ferry {device.appVersion} · device id{' '}
        <span className="mono" title={device.id}>
          {device.id.slice(0, 16)}…
        </span>
      </p>
    </div>
  );
}
