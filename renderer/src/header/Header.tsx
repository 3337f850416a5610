// This device as others see it: its name (renamed in place), where it listens (LocalSend's
// port too), whether discovery announces it, and why the receiver (or LocalSend's) is down or
// elsewhere if it is. "Show my address" gives its addresses as text and a QR code.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState, useBridge, useRun, useStoreSnapshot } from '../hooks/app-context.js';
import { formatAddress } from '../state/format.js';
import { platformName } from '../state/peers.js';
import { Icon } from '../ui/Icon.js';
import { PlatformIcon } from '../ui/PlatformIcon.js';
import { AddressDialog } from './AddressDialog.js';

function DeviceName({ name }: { name: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const inputId = useId();

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  const stop = (): void => {
    setEditing(false);
    // Back to the pencil, so keyboard users stay where they were.
    window.setTimeout(() => editRef.current?.focus(), 0);
  };

  const save = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    const next = draft.trim();
    if (!next || next === name) return stop();
    setSaving(true);
    const r = await run(() => bridge.updateSettings({ deviceName: next }), { prefix: t('app.header.renameFailed') });
    setSaving(false);
    if (r.ok) stop();
  };

  if (!editing) {
    return (
      <div className="device-name">
        <h1 className="device-title" title={name}>
          {name}
        </h1>
        <button
          ref={editRef}
          type="button"
          className="icon-button"
          aria-label={t('app.header.rename')}
          title={t('app.header.rename')}
          onClick={() => {
            setDraft(name);
            setEditing(true);
          }}
        >
          <Icon name="edit" size={16} />
        </button>
      </div>
    );
  }
  return (
    <form className="device-name editing" onSubmit={(e) => void save(e)}>
      <label htmlFor={inputId} className="sr-only">
        {t('app.header.deviceName')}
      </label>
      <input
        id={inputId}
        ref={inputRef}
        className="input device-input"
        value={draft}
        maxLength={64}
        disabled={saving}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            stop();
          }
        }}
      />
      <button type="submit" className="btn btn-primary btn-small" disabled={saving || !draft.trim()}>
        {t('common.actions.save')}
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={stop} disabled={saving}>
        {t('common.actions.cancel')}
      </button>
    </form>
  );
}

export function Header() {
  const { t } = useTranslation();
  const { device } = useAppState();
  const { connected } = useStoreSnapshot();
  const addresses = device.addresses.map((a) => formatAddress(a, device.port));
  const [showing, setShowing] = useState(false);
  return (
    <header className="app-header">
      <div className="header-device">
        <PlatformIcon platform={device.platform} size={24} />
        <div className="header-text">
          <DeviceName name={device.name} />
          <p className="header-meta">
            <span className="sr-only">{t('app.header.thisDevice')}</span>
            {platformName(device.platform) ?? device.platform}
            <span aria-hidden="true"> · </span>
            {device.port === null ? (
              <span>{t('app.header.notReceiving')}</span>
            ) : addresses.length === 0 ? (
              <span>{t('app.header.noNetwork', { port: device.port })}</span>
            ) : (
              <span className="mono" title={t('app.header.addressesTitle')}>
                {addresses.join(', ')}
              </span>
            )}
            {device.localsend?.port != null && (
              <>
                <span aria-hidden="true"> · </span>
                <span title={t('app.header.localsendTitle')}>
                  {t('app.header.localsend')} <span className="mono">{device.localsend.port}</span>
                </span>
              </>
            )}
          </p>
        </div>
      </div>
      <div className="header-actions">
        <button type="button" className="btn btn-secondary btn-small" aria-haspopup="dialog" onClick={() => setShowing(true)}>
          <Icon name="qr" size={15} /> {t('app.header.showAddress')}
        </button>
        {connected ? (
          <div className={`visibility ${device.visible ? 'is-visible' : 'is-hidden'}`} role="status">
            <Icon name={device.visible ? 'eye' : 'eyeOff'} size={16} />
            {device.visible ? t('app.header.visible') : t('app.header.hidden')}
          </div>
        ) : (
          <div className="visibility is-hidden" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('app.header.reconnecting')}
          </div>
        )}
      </div>
      {showing && <AddressDialog onClose={() => setShowing(false)} />}
      {device.receiverError && (
        <div className="banner banner-warning header-banner" role="alert">
          <Icon name="alert" />
          <span>{device.receiverError}</span>
        </div>
      )}
      {device.localsend?.problem && (
        <div className="banner banner-warning header-banner" role="alert">
          <Icon name="alert" />
          <span>{t('app.header.localsendProblem', { problem: device.localsend.problem })}</span>
        </div>
      )}
    </header>
  );
}
