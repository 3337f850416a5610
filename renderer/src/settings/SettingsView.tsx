// Settings: this device, receiving, the desktop app's own, LocalSend, security and trusted
// devices. Switches and the select apply at once; text fields when the user is done with them.

import { useId, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { LANGUAGE_SETTINGS, type AcceptPolicy, type LanguageSetting, type SettingsPatch } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { errorText } from '../i18n/setup.js';
import { formatWhen } from '../state/format.js';
import { ACCEPT_POLICIES, checkDeviceName, fixedNote, LANGUAGE_NAMES } from '../state/settings.js';
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
    return r.ok ? null : errorText(r);
  };
}

function DownloadFolder({ dir, fixed }: { dir: string; fixed: boolean }) {
  const { t } = useTranslation();
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
        return t('settings.downloadDir.notYet');
      }
      return errorText(r);
    };
    const create = async (folder: string): Promise<void> => {
      const r = await run(() => bridge.createDownloadDir(folder), { prefix: t('settings.downloadDir.createFailed', { folder }) });
      if (r.ok) setMissing(null);
    };
    return (
      <>
        <CommitField
          label={t('settings.downloadDir.label')}
          help={t('settings.downloadDir.helpTyped')}
          value={dir}
          mono
          {...(fixed ? { fixedNote: fixedNote('downloadDir') } : {})}
          check={(text) => (text.trim() ? null : t('settings.downloadDir.enterPath'))}
          onCommit={commit}
        />
        {missing && (
          <div className="setting-row setting-consent" role="group" aria-label={t('settings.downloadDir.createGroup')}>
            <p className="setting-help">
              <Trans
                i18nKey="settings.downloadDir.createQuestion"
                values={{ folder: missing }}
                components={{ mono: <span className="mono" /> }}
              />
            </p>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void create(missing)}>
              {t('settings.downloadDir.create')}
            </button>
          </div>
        )}
      </>
    );
  }
  const choose = async (): Promise<void> => {
    const picked = await run(() => bridge.pickFolder(), { prefix: t('settings.downloadDir.pickerFailed') });
    if (picked.ok && picked.value)
      await run(() => bridge.updateSettings({ downloadDir: picked.value! }), { prefix: t('settings.downloadDir.changeFailed') });
  };
  return (
    <div className="setting-row">
      <div className="setting-text">
        <p className="setting-label" id={`${id}-label`}>
          {t('settings.downloadDir.label')}
        </p>
        <p className="setting-help">{fixed ? fixedNote('downloadDir') : t('settings.downloadDir.help')}</p>
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
          {t('settings.downloadDir.choose')}
        </button>
      </div>
    </div>
  );
}

function AcceptPolicySelect({ value, fixed }: { value: AcceptPolicy; fixed: boolean }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  const id = useId();
  const current = ACCEPT_POLICIES.find((p) => p.value === value);
  const help = current ? t(current.help) : '';
  return (
    <div className="setting-row">
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {t('settings.accept.label')}
        </label>
        <p className="setting-help" id={`${id}-help`}>
          {fixed ? `${help} ${fixedNote('acceptPolicy')}` : help}
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
              prefix: t('settings.changeFailed'),
            })
          }
        >
          {ACCEPT_POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {t(p.label)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** The window's language: the system's (the browser's) or one chosen here. Never fixed by the command line. */
function LanguageSelect({ value }: { value: LanguageSetting }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  const id = useId();
  return (
    <div className="setting-row">
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {t('settings.language.label')}
        </label>
      </div>
      <div className="setting-control">
        <select
          id={id}
          className="input select"
          value={value}
          onChange={(e) =>
            void run(() => bridge.updateSettings({ language: e.target.value as LanguageSetting }), {
              prefix: t('settings.changeFailed'),
            })
          }
        >
          {LANGUAGE_SETTINGS.map((l) => (
            <option key={l} value={l}>
              {t(LANGUAGE_NAMES[l])}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function TrustedDevices() {
  const { t } = useTranslation();
  const { trusted } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  if (trusted.length === 0) {
    return <p className="setting-help padded">{t('settings.trusted.none')}</p>;
  }
  return (
    <ul className="trusted-list" aria-label={t('settings.sections.trusted')}>
      {trusted.map((d) => (
        <li key={d.id} className="trusted-row">
          <Icon name="shield" size={18} className="trusted-icon" />
          <div className="trusted-main">
            <p className="trusted-name">{d.name}</p>
            <p className="trusted-sub">
              {t('settings.trusted.since', { when: formatWhen(d.addedAt) })}{' '}
              <span className="mono" title={d.id}>
                {d.id.slice(0, 16)}…
              </span>
            </p>
          </div>
          <button
            type="button"
            className="btn btn-ghost btn-small btn-danger-text"
            onClick={() => void run(() => bridge.untrustDevice(d.id), { prefix: t('settings.trusted.removeFailed', { name: d.name }) })}
          >
            <Trans i18nKey="settings.trusted.remove" values={{ name: d.name }} components={{ sr: <span className="sr-only" /> }} />
          </button>
        </li>
      ))}
    </ul>
  );
}

export function SettingsView() {
  const { t } = useTranslation();
  const { settings, device } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  const save = useSave();
  const trustedCard = useRef<HTMLDivElement>(null);
  // A removed device takes its Remove button along: focus goes to the next one's, or the heading.
  useFocusRescue(trustedCard, () => document.getElementById('settings-trusted'));
  const toggle = (patch: Patch): void => void run(() => bridge.updateSettings(patch), { prefix: t('settings.changeFailed') });
  const fixed = new Set(settings.fixed);

  return (
    <div className="settings">
      <section className="panel" aria-labelledby="settings-device">
        <h2 id="settings-device" className="panel-title">
          {t('settings.sections.device')}
        </h2>
        <div className="card settings-card">
          <CommitField
            label={t('settings.deviceName.label')}
            help={t('settings.deviceName.help')}
            value={settings.deviceName}
            check={(text) => {
              const r = checkDeviceName(text);
              return r.ok ? null : r.message;
            }}
            onCommit={(text) => save({ deviceName: text.trim() })}
          />
          <Switch
            label={t('settings.announce.label')}
            description={fixed.has('announce') ? fixedNote('announce') : t('settings.announce.help')}
            checked={settings.announce}
            disabled={fixed.has('announce')}
            onChange={(announce) => toggle({ announce })}
          />
          <LanguageSelect value={settings.language} />
        </div>
      </section>

      <section className="panel" aria-labelledby="settings-receiving">
        <h2 id="settings-receiving" className="panel-title">
          {t('settings.sections.receiving')}
        </h2>
        <div className="card settings-card">
          <DownloadFolder dir={settings.downloadDir} fixed={fixed.has('downloadDir')} />
          <AcceptPolicySelect value={settings.acceptPolicy} fixed={fixed.has('acceptPolicy')} />
          <PortField
            label={t('settings.port.label')}
            help={
              device.port !== null && device.port !== settings.port
                ? t('settings.port.helpListening', { port: device.port })
                : t('settings.port.help')
            }
            value={settings.port}
            fixedNote={fixed.has('port') ? fixedNote('port') : undefined}
            save={(port) => save({ port })}
          />
          <Switch
            label={t('settings.notifications.label')}
            description={t('settings.notifications.help')}
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
          {t('settings.sections.security')}
        </h2>
        <div className="card settings-card">
          <SecretSettings enabled={settings.secretEnabled} />
        </div>
      </section>

      <section className="panel" aria-labelledby="settings-trusted">
        <h2 id="settings-trusted" className="panel-title" tabIndex={-1}>
          {t('settings.sections.trusted')}
        </h2>
        <div className="card settings-card" ref={trustedCard}>
          <TrustedDevices />
        </div>
      </section>

      <p className="about">
        {t('settings.about', { version: device.appVersion })}{' '}
        <span className="mono" title={device.id}>
          {device.id.slice(0, 16)}…
        </span>
      </p>
    </div>
  );
}
