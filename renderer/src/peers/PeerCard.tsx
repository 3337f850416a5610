// One peer: who it is, where, whether it is reachable, and a drop zone that sends whatever
// files or folders land on it. Text pasted while the card has focus (a click on it gives it
// focus) opens "Send a message" for it; pasted files are sent as dropped ones. The card is a
// group named after the peer (the test hook); a LocalSend device says so in its name and its
// tag, since a computer that runs both Ferry and a LocalSend app is listed once for each.
// Its checkbox (or Ctrl/Cmd+click on the card) selects it: files dropped or pasted on a
// selected card go to every selected device, each a transfer of its own.

import { useRef, useState, type ClipboardEvent, type DragEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DroppedFile, PeerView } from '../contract.js';
import { useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { deviceKind, deviceKindName, peerAddress, peerLabel, peerStatus, platformName, type DeviceKind } from '../state/peers.js';
import { pasteBelongsElsewhere, pastedText, useCompose } from '../texts/compose.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon, type IconName } from '../ui/Icon.js';
import { LocalSendTag } from '../ui/LocalSendTag.js';
import { PlatformIcon } from '../ui/PlatformIcon.js';
import { droppedFiles, dropRoots, hasFiles } from './drop.js';
import { useSendToMany } from './multi.js';
import { TrustDialog } from './TrustDialog.js';

type Busy = null | { text: string };

const KIND_ICONS: Record<DeviceKind, IconName> = {
  phone: 'phone',
  computer: 'devices',
  browser: 'globe',
  headless: 'terminal',
  server: 'server',
};

export interface PeerCardProps {
  peer: PeerView;
  selected: boolean;
  /** Every selected device's key: what a drop or paste on this card goes to while it is one of them. */
  selection: readonly string[];
  onSelect: (key: string, selected: boolean) => void;
}

export function PeerCard({ peer, selected, selection, onSelect }: PeerCardProps) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const sendToMany = useSendToMany();
  const run = useRun();
  const notify = useNotify();
  const compose = useCompose();
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [trusting, setTrusting] = useState(false);
  const card = useRef<HTMLDivElement>(null);
  // Trust and Forget replace each other: focus moves from the one that went to the one that came.
  useFocusRescue(card, () => card.current?.querySelector<HTMLElement>('.peer-trust') ?? null);
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer really left.
  const depth = useRef(0);
  const address = peerAddress(peer);
  const platform = platformName(peer.platform);
  const localsend = peer.protocol === 'localsend';
  const kind = localsend ? deviceKind(peer.deviceType) : null;
  const kindName = localsend ? deviceKindName(peer.deviceType) : null;
  const label = peerLabel(peer);
  // A LocalSend app shows no code: it is trusted on its certificate's id alone.
  const canTrust = peer.id !== null && !peer.trusted && (localsend || peer.verificationCode !== null);
  // A selected card stands for the whole selection.
  const group = selected && selection.length > 1 ? selection : null;

  const send = async (files: DroppedFile[], emptyDirs: string[] = []): Promise<void> => {
    if (group) await sendToMany(group, files, emptyDirs);
    else await run(() => bridge.sendDropped(peer.key, files, emptyDirs), { prefix: t('peers.failed.send', { name: peer.name }) });
  };

  const onDragEnter = (e: DragEvent): void => {
    if (!hasFiles(e.dataTransfer)) return;
    e.preventDefault();
    depth.current++;
    setOver(true);
  };
  const onDragOver = (e: DragEvent): void => {
    if (!hasFiles(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (!over) setOver(true);
  };
  const onDragLeave = (): void => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    e.stopPropagation();
    depth.current = 0;
    setOver(false);
    const roots = dropRoots(e.dataTransfer, { wholeFolders: bridge.host.kind === 'electron' });
    if (roots.length === 0) return;
    void (async () => {
      setBusy({ text: t('peers.card.preparing') });
      try {
        const { files, emptyDirs, unreadable } = await droppedFiles(roots);
        if (unreadable.length > 0)
          notify('error', t('peers.card.unreadable', { count: unreadable.length, names: unreadable.slice(0, 3).join(', ') }));
        if (files.length === 0 && emptyDirs.length === 0) return;
        setBusy(null); // the queue shows the upload from here on
        await send(files, emptyDirs);
      } finally {
        setBusy(null);
      }
    })();
  };

  // Before the window's own paste handler, which sees this one handled and leaves it alone.
  const onPaste = (e: ClipboardEvent<HTMLDivElement>): void => {
    if (e.defaultPrevented || pasteBelongsElsewhere(e.target)) return;
    const files = Array.from(e.clipboardData.files);
    if (files.length > 0) {
      e.preventDefault();
      void send(files.map((file) => ({ file, relativePath: file.name })));
      return;
    }
    const text = pastedText(e.clipboardData);
    if (text === null) return;
    e.preventDefault();
    compose(group ?? peer.key, text);
  };

  // Ctrl+click (Cmd+click on a Mac) on the card, outside its controls, selects it or lets it go.
  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    if (!(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
    if (e.target instanceof Element && e.target.closest('button, input, a, label, select, textarea')) return;
    e.preventDefault();
    onSelect(peer.key, !selected);
  };

  // Called straight from the click, so a browser host may still open its file input.
  const pick = async (kind: 'files' | 'folder'): Promise<void> => {
    await run(() => bridge.pickAndSend(peer.key, kind), { prefix: t('peers.failed.send', { name: peer.name }) });
  };

  const forget = async (): Promise<void> => {
    if (peer.id) await run(() => bridge.untrustDevice(peer.id!), { prefix: t('peers.failed.forget', { name: peer.name }) });
  };

  const remove = async (): Promise<void> => {
    if (peer.manual) await run(() => bridge.removeManualPeer(peer.manual!), { prefix: t('peers.failed.remove', { name: peer.name }) });
  };

  const classes = [
    'peer-card',
    peer.online ? 'is-online' : 'is-offline',
    over ? 'is-drop-target' : '',
    busy ? 'is-busy' : '',
    selected ? 'is-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div
      ref={card}
      className={classes}
      role="group"
      aria-label={label}
      data-key={peer.key}
      aria-busy={busy ? true : undefined}
      // Focusable by a click (not by Tab: its buttons are), so a paste after it lands here.
      tabIndex={-1}
      onPaste={onPaste}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      onClick={onClick}
    >
      <div className="peer-top">
        <input
          type="checkbox"
          className="tick peer-select"
          checked={selected}
          aria-label={t('peers.card.select', { label })}
          title={t('peers.card.selectHint', { key: /mac|iphone|ipad/i.test(navigator.platform) ? '⌘' : 'Ctrl' })}
          onChange={(e) => onSelect(peer.key, e.target.checked)}
        />
        <PlatformIcon platform={peer.platform} deviceType={peer.deviceType} />
        <div className="peer-ident">
          <div className="peer-name-row">
            <h3 className="peer-name" title={peer.name}>
              {peer.name}
            </h3>
            {localsend && <LocalSendTag />}
          </div>
          <p className="peer-meta">
            <span className={`status-dot ${peer.online ? 'on' : 'off'}`} aria-hidden="true" />
            {peerStatus(peer)}
            {platform && <span className="peer-platform"> · {platform}</span>}
          </p>
        </div>
        {peer.source === 'manual' && peer.manual && (
          <button
            type="button"
            className="icon-button peer-remove"
            aria-label={t('peers.card.remove', { name: peer.name })}
            title={t('peers.card.removeTitle')}
            onClick={() => void remove()}
          >
            <Icon name="trash" size={16} />
          </button>
        )}
      </div>
      <p className="peer-address mono">{address ?? t('peers.card.noAddress')}</p>
      <div className="peer-badges">
        {kind && kindName && (
          <span className="badge badge-kind">
            <Icon name={KIND_ICONS[kind]} size={13} /> {kindName}
          </span>
        )}
        {peer.trusted && (
          <span className="badge badge-trusted">
            <Icon name="shield" size={13} /> {t('peers.card.trusted')}
          </span>
        )}
        {peer.source === 'manual' && <span className="badge">{t('peers.card.manual')}</span>}
        {canTrust && (
          <button type="button" className="btn btn-ghost btn-small peer-trust" aria-haspopup="dialog" onClick={() => setTrusting(true)}>
            {t('peers.card.trust')}
            <span className="sr-only"> {label}</span>
          </button>
        )}
        {peer.id && peer.trusted && (
          <button
            type="button"
            className="btn btn-ghost btn-small peer-trust"
            title={t('peers.card.forgetTitle')}
            onClick={() => void forget()}
          >
            {t('peers.card.forget')}
            <span className="sr-only"> {t('peers.card.forgetWho', { label })}</span>
          </button>
        )}
      </div>
      {trusting && canTrust && peer.id && <TrustDialog peer={{ ...peer, id: peer.id }} onClose={() => setTrusting(false)} />}
      <div className="peer-actions">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void pick('files')}>
          <Icon name="file" size={15} /> {t('peers.card.sendFiles')}
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void pick('folder')}>
          <Icon name="folder" size={15} /> {t('peers.card.sendFolder')}
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          aria-haspopup="dialog"
          title={t('peers.card.sendTextTitle')}
          onClick={() => compose(peer.key)}
        >
          <Icon name="message" size={15} /> {t('peers.card.sendText')}
        </button>
      </div>
      <div className="drop-hint" aria-hidden="true">
        <Icon name="send" size={22} />
        <span>{group ? t('peers.card.dropMany', { n: group.length }) : t('peers.card.dropOne', { name: peer.name })}</span>
      </div>
      {busy && (
        <div className="peer-busy" role="status">
          <span className="spinner" aria-hidden="true" />
          {busy.text}
        </div>
      )}
    </div>
  );
}
