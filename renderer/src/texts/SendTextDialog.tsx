// "Send a message": a text for one device (from its card), for each of several selected ones
// (sendText once per device), or for the device the person picks (text pasted on the window).
// The limit is the engine's (bytes of UTF-8): a counter shows as it nears, and a message past it
// is refused here with the reason, before anything is sent. Ctrl/Cmd+Enter sends, Escape cancels.

import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { PeerView } from '../contract.js';
import { useAppState, useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { namesOf, peerAddress, peerLabel } from '../state/peers.js';
import { checkText, sendShortcut, textCounter } from '../state/texts.js';
import { Icon } from '../ui/Icon.js';
import { LocalSendTag } from '../ui/LocalSendTag.js';
import { Modal } from '../ui/Modal.js';
import { PlatformIcon } from '../ui/PlatformIcon.js';

function DevicePicker({
  peers,
  chosen,
  onChoose,
  firstId,
}: {
  peers: PeerView[];
  chosen: string | null;
  onChoose: (key: string) => void;
  firstId: string;
}) {
  const name = useId();
  const { t } = useTranslation();
  return (
    <fieldset className="text-picker">
      <legend className="field-label">{t('texts.compose.sendTo')}</legend>
      <div className="text-picker-list">
        {peers.map((p, i) => {
          const id = i === 0 ? firstId : `${name}-${i}`;
          const address = peerAddress(p);
          return (
            <label key={p.key} htmlFor={id} className={`text-picker-option ${chosen === p.key ? 'is-chosen' : ''}`}>
              <input id={id} type="radio" name={name} value={p.key} checked={chosen === p.key} onChange={() => onChoose(p.key)} />
              <PlatformIcon platform={p.platform} deviceType={p.deviceType} size={20} />
              <span className="text-picker-name">
                <span className="text-picker-title">{peerLabel(p)}</span>
                {address && <span className="text-picker-address mono">{address}</span>}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

export function SendTextDialog({
  peerKey,
  peerKeys,
  initialText = '',
  onClose,
}: {
  peerKey: string | null;
  /** Several devices (selected on Devices): each gets the message; peerKey is then null. */
  peerKeys?: readonly string[];
  initialText?: string;
  onClose: () => void;
}) {
  const bridge = useBridge();
  const run = useRun();
  const notify = useNotify();
  const { t } = useTranslation();
  const { peers } = useAppState();
  const [text, setText] = useState(initialText);
  const online = peers.filter((p) => p.online);
  // The picker preselects the one device there is to pick.
  const [chosen, setChosen] = useState<string | null>(() => (peerKey === null && online.length === 1 ? online[0]!.key : null));
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const titleId = useId();
  const areaId = useId();
  const hintId = useId();
  const problemId = useId();
  const firstPeerId = useId();

  // The device as it is now, or as it was when the dialog opened if it has left the list since
  // (the engine then says it cannot be reached).
  const [openedFor] = useState(() => (peerKey !== null ? (peers.find((p) => p.key === peerKey) ?? null) : null));
  const fixed = peerKey !== null ? (peers.find((p) => p.key === peerKey) ?? openedFor) : null;
  const fixedLocalSend = fixed?.protocol === 'localsend';
  const targetKey = peerKey ?? chosen;
  const target = targetKey !== null ? (peers.find((p) => p.key === targetKey) ?? null) : null;
  const check = checkText(text);
  const tooLong = !check.ok && check.reason === 'too-long';
  const counter = textCounter(check.bytes);
  // Several devices: those not sent to yet (a partly failed send keeps only the ones that failed).
  const [openedForMany] = useState(() =>
    (peerKeys ?? []).map((k) => peers.find((p) => p.key === k) ?? { key: k, name: t('texts.compose.aDevice') }),
  );
  const [left, setLeft] = useState<readonly string[]>(() => peerKeys ?? []);
  const many = peerKeys !== undefined;
  const manyPeers = left.map(
    (k) => peers.find((p) => p.key === k) ?? openedForMany.find((p) => p.key === k) ?? { key: k, name: t('texts.compose.aDevice') },
  );
  const picking = peerKey === null && !many;
  const noneOnline = picking && online.length === 0;
  // Nothing picked yet: the device list is where to start; else the words. Decided once: Modal
  // opens the dialog again when it changes.
  const [initialFocus] = useState(() => (picking && chosen === null && online.length > 0 ? firstPeerId : areaId));
  const shortcut = sendShortcut(navigator.platform);

  // The caret after pasted words, not before them (Modal focused the field already: child effects run first).
  useLayoutEffect(() => {
    const el = area.current;
    if (el && document.activeElement === el) {
      el.setSelectionRange(el.value.length, el.value.length);
      el.scrollTop = el.scrollHeight;
    }
  }, []);

  const send = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (sending) return;
    if (!check.ok) {
      setProblem(check.message);
      area.current?.focus();
      return;
    }
    if (many) return sendToMany();
    if (targetKey === null || (picking && !online.some((p) => p.key === targetKey))) {
      setProblem(noneOnline ? t('texts.compose.noneOnlineProblem') : t('texts.compose.chooseDevice'));
      document.getElementById(firstPeerId)?.focus();
      return;
    }
    const name = (target ?? fixed)?.name ?? t('texts.compose.theDevice');
    setSending(true);
    setProblem(null);
    const r = await run(() => bridge.sendText(targetKey, text), { quiet: true });
    setSending(false);
    if (r.ok) {
      notify('success', t('texts.compose.onItsWay', { name }));
      onClose();
    } else setProblem(r.message);
  };

  // Each device its own sendText, all at once; the ones that failed stay, to send to again.
  const sendToMany = async (): Promise<void> => {
    setSending(true);
    setProblem(null);
    const results = await Promise.all(
      manyPeers.map(async (p) => ({ peer: p, r: await run(() => bridge.sendText(p.key, text), { quiet: true }) })),
    );
    setSending(false);
    const sent = results.filter((x) => x.r.ok).map((x) => x.peer);
    const failed = results.flatMap((x) => (x.r.ok ? [] : [{ peer: x.peer, message: x.r.message }]));
    if (sent.length > 0) notify('success', t('texts.compose.onItsWay', { name: namesOf(sent) }));
    if (failed.length === 0) return onClose();
    setLeft(failed.map((f) => f.peer.key));
    const failures = failed
      .map((f) => t('texts.compose.failure', { name: f.peer.name, error: f.message }))
      .join(t('texts.compose.failureSeparator'));
    setProblem(t('texts.compose.couldNotSend', { failures }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  };

  // The field's own problem (too long, or empty) is said next to it, live as the person types.
  const shownProblem = tooLong ? check.message : problem;
  const describedBy = [shownProblem ? problemId : null, hintId].filter(Boolean).join(' ');

  return (
    <Modal labelledBy={titleId} onClose={onClose} className="text-dialog" initialFocus={initialFocus}>
      <form className="text-form" onSubmit={(e) => void send(e)} noValidate>
        <div className="modal-head">
          {fixed && !many ? (
            <PlatformIcon platform={fixed.platform} deviceType={fixed.deviceType} size={28} />
          ) : (
            <span className="modal-icon" aria-hidden="true">
              <Icon name="message" size={22} />
            </span>
          )}
          <div>
            <h2 id={titleId} className="modal-title">
              {many
                ? t('texts.compose.titleMany', { count: left.length })
                : fixed
                  ? t('texts.compose.titleTo', { name: peerLabel(fixed) })
                  : t('texts.compose.title')}
            </h2>
            <p className="modal-sub">
              {many ? (
                <span>{t('texts.compose.eachGetsIt', { names: namesOf(manyPeers) })}</span>
              ) : fixed ? (
                <>
                  <span className="mono">{peerAddress(fixed) ?? t('texts.compose.noAddress')}</span>
                  {fixedLocalSend && <LocalSendTag />}
                  {!fixed.online && <span>{t('texts.compose.offline')}</span>}
                </>
              ) : picking ? (
                t('texts.compose.pasted')
              ) : (
                t('texts.compose.gone')
              )}
            </p>
          </div>
          <button type="button" className="icon-button modal-close" aria-label={t('common.actions.close')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <div className="modal-body text-body">
          {picking &&
            (noneOnline ? (
              <div className="banner banner-warning" role="status">
                <Icon name="wifi" />
                <span>
                  <Trans i18nKey="texts.compose.noneOnline" components={{ strong: <strong /> }} />
                </span>
              </div>
            ) : (
              <DevicePicker
                peers={online}
                chosen={chosen}
                firstId={firstPeerId}
                onChoose={(k) => {
                  setChosen(k);
                  if (problem && !tooLong) setProblem(null);
                }}
              />
            ))}
          <div className="text-field">
            <label htmlFor={areaId} className="field-label">
              {t('texts.compose.message')}
            </label>
            <textarea
              id={areaId}
              ref={area}
              className="input text-area"
              rows={6}
              value={text}
              spellCheck
              dir="auto"
              aria-invalid={shownProblem && !check.ok ? true : undefined}
              aria-describedby={describedBy}
              onChange={(e) => {
                setText(e.target.value);
                if (problem) setProblem(null);
              }}
              onKeyDown={onKeyDown}
            />
            <div className="text-meta">
              <p id={hintId} className="field-help">
                {t('texts.compose.shortcut', { shortcut })}
                {counter && (
                  <span className={`text-counter ${tooLong ? 'is-over' : ''}`}>
                    <span aria-hidden="true"> · </span>
                    {counter}
                  </span>
                )}
              </p>
            </div>
            {shownProblem && (
              <p id={problemId} className="field-error" role="alert">
                {shownProblem}
              </p>
            )}
          </div>
        </div>
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common.actions.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={sending || noneOnline}>
            {sending ? <span className="spinner" aria-hidden="true" /> : <Icon name="send" size={16} />}
            {t('texts.compose.send')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
