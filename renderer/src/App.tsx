// The window: a sidebar to move between sections, this device's header, the section, and
// what floats above it (the incoming offer, network troubleshooting, sending a text, toasts).
// Received text messages are listed above the queue, on Devices and on Transfers.

import { useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import logoUrl from '../../assets/icon.svg';
import { DiscoveryDialog } from './discovery/DiscoveryDialog.js';
import { Header } from './header/Header.js';
import { HistoryView } from './history/HistoryView.js';
import { useAppState, useBridge, useNotify, useServices, useStoreSnapshot } from './hooks/app-context.js';
import { useBrowserAttention } from './hooks/attention.js';
import { OfferDialog } from './offers/OfferDialog.js';
import { PeersPanel } from './peers/PeersPanel.js';
import { SettingsView } from './settings/SettingsView.js';
import { sentence } from './state/errors.js';
import { countActive } from './state/transfers.js';
import { ComposeProvider, useWindowPaste, type Compose } from './texts/compose.js';
import { MessagesPanel } from './texts/MessagesPanel.js';
import { SendTextDialog } from './texts/SendTextDialog.js';
import { TransferList } from './transfers/TransferList.js';
import { followLanguage } from './i18n/setup.js';
import { Icon, type IconName } from './ui/Icon.js';
import { Toasts } from './ui/Toasts.js';

type View = 'devices' | 'transfers' | 'history' | 'settings';

const VIEWS = [
  { id: 'devices', label: 'app.nav.devices', icon: 'devices' },
  { id: 'transfers', label: 'app.nav.transfers', icon: 'transfers' },
  { id: 'history', label: 'app.nav.history', icon: 'history' },
  { id: 'settings', label: 'app.nav.settings', icon: 'settings' },
] as const satisfies ReadonlyArray<{ id: View; label: string; icon: IconName }>;

function Sidebar({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  const { t } = useTranslation();
  const { transfers, texts } = useAppState();
  const { uploads } = useStoreSnapshot();
  const active = countActive(transfers) + uploads.length;
  return (
    <aside className="sidebar">
      <div className="brand">
        <img src={logoUrl} alt="" width={30} height={30} className="brand-mark" />
        <span className="brand-name">{t('app.brand')}</span>
      </div>
      <nav aria-label={t('app.nav.label')} className="nav">
        {VIEWS.map((v) => {
          const count = v.id === 'transfers' ? active : v.id === 'devices' ? texts.length : 0;
          const counted = v.id === 'devices' ? t('app.nav.messages', { count }) : t('app.nav.inProgress', { count });
          const label = t(v.label);
          return (
            <button
              key={v.id}
              type="button"
              className="nav-item"
              aria-current={view === v.id ? 'page' : undefined}
              title={label}
              onClick={() => onChange(v.id)}
            >
              <Icon name={v.icon} size={19} />
              <span className="nav-label">{label}</span>
              {count > 0 && (
                <span className={v.id === 'devices' ? 'nav-count nav-count-messages' : 'nav-count'}>
                  <span aria-hidden="true">{count}</span>
                  <span className="sr-only">{counted}</span>
                </span>
              )}
            </button>
          );
        })}
      </nav>
    </aside>
  );
}

/** A message that arrived is said in a toast too: seen (and heard by screen readers) in any section. */
function useTextToasts(): void {
  const bridge = useBridge();
  const notify = useNotify();
  const { t } = useTranslation();
  useEffect(
    () =>
      bridge.onEvent((e) => {
        if (e.type === 'text' && e.text.direction === 'receive') notify('info', t('app.toast.textArrived', { name: e.text.peer.name }));
      }),
    [bridge, notify, t],
  );
}

interface Composer {
  /** Bumped per opening: a new dialog, with fresh state and focus. */
  n: number;
  target: string | readonly string[] | null;
  text: string;
}

function Shell() {
  const { t } = useTranslation();
  const [view, setView] = useState<View>('devices');
  const [troubleshooting, setTroubleshooting] = useState(false);
  const [composer, setComposer] = useState<Composer | null>(null);
  const opened = useRef(0);
  const { connected } = useStoreSnapshot();
  const { language } = useAppState().settings;
  useEffect(() => followLanguage(language), [language]);
  useBrowserAttention();
  useTextToasts();
  const compose = useCallback<Compose>((target, text = '') => {
    // One device chosen of several is that device.
    const one = typeof target === 'string' ? target : target?.length === 1 ? target[0]! : null;
    setComposer({ n: ++opened.current, target: one ?? target, text });
  }, []);
  useWindowPaste(compose);

  // A drop that misses every peer card must not make the window navigate to the file.
  useEffect(() => {
    const block = (e: DragEvent): void => e.preventDefault();
    window.addEventListener('dragover', block);
    window.addEventListener('drop', block);
    return () => {
      window.removeEventListener('dragover', block);
      window.removeEventListener('drop', block);
    };
  }, []);

  const openTroubleshooting = (): void => setTroubleshooting(true);

  return (
    <ComposeProvider value={compose}>
      <div className="app">
        <Sidebar view={view} onChange={setView} />
        <div className="main">
          <Header />
          {!connected && (
            <div className="banner banner-danger connection-banner" role="alert">
              <Icon name="alert" />
              <span>
                <Trans t={t} i18nKey="app.connectionLost" components={{ mono: <span className="mono" /> }} />
              </span>
            </div>
          )}
          <main className="content" aria-label={t(VIEWS.find((v) => v.id === view)!.label)}>
            {view === 'devices' && (
              <div className="devices-layout">
                <PeersPanel onTroubleshoot={openTroubleshooting} />
                <div className="side-column">
                  <MessagesPanel fallbackFocus="queue-title-compact" />
                  <TransferList compact />
                </div>
              </div>
            )}
            {view === 'transfers' && (
              <>
                <MessagesPanel fallbackFocus="queue-title" />
                <TransferList />
              </>
            )}
            {view === 'history' && <HistoryView />}
            {view === 'settings' && <SettingsView />}
          </main>
        </div>
        <OfferDialog />
        {troubleshooting && <DiscoveryDialog onClose={() => setTroubleshooting(false)} />}
        {composer && (
          <SendTextDialog
            key={composer.n}
            peerKey={typeof composer.target === 'string' ? composer.target : null}
            peerKeys={typeof composer.target === 'string' || composer.target === null ? undefined : composer.target}
            initialText={composer.text}
            onClose={() => setComposer(null)}
          />
        )}
        <Toasts />
      </div>
    </ComposeProvider>
  );
}

export function App() {
  const { t } = useTranslation();
  const snapshot = useStoreSnapshot();
  const { store } = useServices();
  if (snapshot.status === 'ready' && snapshot.state) return <Shell />;
  if (snapshot.status === 'failed') {
    return (
      <main className="splash">
        <img src={logoUrl} alt="" width={56} height={56} className="brand-mark" />
        <h1>{t('app.splash.failed')}</h1>
        <p className="muted" role="alert">
          {sentence(snapshot.error ?? '')}
        </p>
        <button type="button" className="btn btn-primary" onClick={() => void store.reload()}>
          {t('app.splash.tryAgain')}
        </button>
      </main>
    );
  }
  return (
    <div className="splash" role="status">
      <img src={logoUrl} alt="" width={56} height={56} className="brand-mark" />
      <p className="muted">
        <span className="spinner" aria-hidden="true" /> {t('app.splash.starting')}
      </p>
    </div>
  );
}

/** Shown when there is no bridge at all (no preload, no daemon to talk to). */
export function NoBridge({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <main className="splash">
      <img src={logoUrl} alt="" width={56} height={56} className="brand-mark" />
      <h1>{t('app.splash.noEngine')}</h1>
      <p className="muted" role="alert">
        {sentence(message)}
      </p>
    </main>
  );
}
