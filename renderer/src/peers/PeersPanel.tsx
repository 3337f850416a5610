// The devices on the network: a card per peer, "Add a device", and an empty state that
// explains how another computer shows up (and where to look when it does not). Cards can be
// selected, to send to several devices at once (the selection bar; Escape lets them go).

import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState } from '../hooks/app-context.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { AddPeerDialog, AddPeerForm } from './AddPeerForm.js';
import { PeerCard } from './PeerCard.js';
import { SelectionBar } from './SelectionBar.js';

function EmptyPeers({ onTroubleshoot }: { onTroubleshoot: () => void }) {
  const { t } = useTranslation();
  const { settings } = useAppState();
  return (
    <div className="empty-peers">
      <div className="radar" aria-hidden="true">
        <span />
        <span />
        <span />
        <Icon name="devices" size={28} />
      </div>
      <h3>{t('peers.empty.title')}</h3>
      <p className="empty-lead">{settings.localsend ? t('peers.empty.leadLocalsend') : t('peers.empty.lead')}</p>
      <ol className="empty-steps">
        <li>{t('peers.empty.step1')}</li>
        <li>{t('peers.empty.step2')}</li>
        <li>{t('peers.empty.step3')}</li>
      </ol>
      <AddPeerForm />
      <button type="button" className="link-button" onClick={onTroubleshoot}>
        <Icon name="wifi" size={16} /> {t('peers.empty.why')}
      </button>
    </div>
  );
}

export function PeersPanel({ onTroubleshoot }: { onTroubleshoot: () => void }) {
  const { t } = useTranslation();
  const { peers } = useAppState();
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<readonly string[]>([]);
  // A device that left the list leaves the selection too.
  const selection = picked.filter((k) => peers.some((p) => p.key === k));
  const selectedPeers = peers.filter((p) => selection.includes(p.key));
  const online = peers.filter((p) => p.online).length;
  const section = useRef<HTMLElement>(null);
  // A removed device's card takes its focused Remove along: focus goes to the next card, or the heading.
  useFocusRescue(section, () => document.getElementById('peers-title'));

  const select = (key: string, on: boolean): void =>
    setPicked((list) => (on ? (list.includes(key) ? list : [...list, key]) : list.filter((k) => k !== key)));

  // Clear (or Escape): focus goes to the first of the cards that were selected, to its checkbox.
  const clear = (): void => {
    const first = selection[0];
    setPicked([]);
    if (first) {
      const box = [...(section.current?.querySelectorAll<HTMLElement>('.peer-card') ?? [])]
        .find((c) => c.dataset.key === first)
        ?.querySelector<HTMLElement>('.peer-select');
      box?.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || selection.length === 0 || e.defaultPrevented) return;
    // A dialog opened from here (Add a device, Trust…) takes its own Escape.
    if (e.target instanceof Element && e.target.closest('dialog')) return;
    e.preventDefault();
    clear();
  };

  return (
    <section ref={section} className="panel peers-panel" aria-labelledby="peers-title" onKeyDown={onKeyDown}>
      <div className="panel-head">
        <div>
          <h2 id="peers-title" className="panel-title" tabIndex={-1}>
            {t('peers.panel.title')}
          </h2>
          <p className="panel-sub">{peers.length === 0 ? t('peers.panel.noneYet') : t('peers.panel.sub', { online })}</p>
        </div>
        {peers.length > 0 && (
          <div className="panel-actions">
            <button type="button" className="btn btn-ghost btn-small" onClick={onTroubleshoot}>
              <Icon name="wifi" size={15} /> {t('peers.panel.troubleshoot')}
            </button>
            <button type="button" className="btn btn-secondary btn-small" aria-haspopup="dialog" onClick={() => setAdding(true)}>
              <Icon name="plus" size={15} /> {t('peers.panel.add')}
            </button>
          </div>
        )}
      </div>
      {adding && <AddPeerDialog onClose={() => setAdding(false)} />}
      {peers.length === 0 ? (
        <EmptyPeers onTroubleshoot={onTroubleshoot} />
      ) : (
        <>
          {selectedPeers.length > 0 && <SelectionBar peers={selectedPeers} onClear={clear} />}
          <div className="peer-grid">
            {peers.map((p) => (
              <PeerCard key={p.key} peer={p} selected={selection.includes(p.key)} selection={selection} onSelect={select} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
