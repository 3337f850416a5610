// Text messages received, newest first, until dismissed: who, when, the words (as text, never
// markup: selectable, line breaks kept, a long one clamped behind "Show all"), Copy, Open link
// for a message that is a link, and Dismiss. Shown above the queue while there is any.

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TextView } from '../contract.js';
import { useAppState, useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { formatWhen } from '../state/format.js';
import { copyShortcut, safeLink } from '../state/texts.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { LocalSendTag } from '../ui/LocalSendTag.js';
import { selectText } from '../ui/select-text.js';

function Message({ message: m, onDismissLast, last }: { message: TextView; onDismissLast: () => void; last: boolean }) {
  const bridge = useBridge();
  const run = useRun();
  const notify = useNotify();
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const [clamped, setClamped] = useState(false);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  const bodyId = `message-text-${m.id}`;
  const from = m.peer.name;
  const link = safeLink(m.link);
  const electron = bridge.host.kind === 'electron';
  const localsend = m.protocol === 'localsend';
  const sr = { sr: <span className="sr-only" /> };

  // Whether the clamp hides anything: only then is there something to "Show all".
  useLayoutEffect(() => {
    const el = body.current;
    if (!el || expanded) return;
    const measure = (): void => setClamped(el.scrollHeight > el.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [expanded, m.text]);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(m.text);
      notify('success', t('texts.received.copied', { name: from }));
    } catch {
      // The clipboard refused (no focus, no permission): the words are selected for a copy by hand.
      const el = body.current;
      if (!el) return;
      if (!expanded && clamped) setExpanded(true);
      selectText(el);
      if (document.execCommand('copy')) notify('success', t('texts.received.copied', { name: from }));
      else notify('error', t('texts.received.copyFailed', { shortcut: copyShortcut(navigator.platform) }));
    }
  };

  const dismiss = async (): Promise<void> => {
    setBusy(true);
    if (last) onDismissLast();
    await run(() => bridge.dismissText(m.id), { prefix: t('texts.received.couldNotDismiss') });
    setBusy(false);
  };

  const toggle =
    !expanded && !clamped ? null : (
      <button
        type="button"
        className="btn btn-ghost btn-small message-more"
        aria-expanded={expanded}
        aria-controls={bodyId}
        onClick={() => setExpanded((e) => !e)}
      >
        <Icon name="chevron" size={15} className="chevron" />
        {expanded ? (
          <Trans i18nKey="texts.received.showLess" values={{ name: from }} components={sr} />
        ) : (
          <Trans i18nKey="texts.received.showAll" values={{ name: from }} components={sr} />
        )}
      </button>
    );

  return (
    <li className="message">
      <div className="message-head">
        <span className="message-avatar" aria-hidden="true">
          <Icon name="message" size={16} />
        </span>
        <div className="message-ident">
          <h3 className="message-from">
            <Trans
              i18nKey="texts.received.from"
              values={{ name: from }}
              components={{
                ...sr,
                name: <span className="message-name" title={m.peer.address ? `${from} (${m.peer.address})` : from} />,
              }}
            />
            {localsend && <LocalSendTag />}
          </h3>
          <time className="message-when" dateTime={Number.isFinite(m.at) ? new Date(m.at).toISOString() : undefined}>
            {formatWhen(m.at)}
          </time>
        </div>
        <button
          type="button"
          className="icon-button message-dismiss"
          disabled={busy}
          aria-label={t('texts.received.dismiss', { name: from })}
          title={t('texts.received.dismissHelp')}
          onClick={() => void dismiss()}
        >
          <Icon name="close" size={16} />
        </button>
      </div>
      {/* Text, never markup: React sets it as a text node. */}
      <div
        ref={body}
        id={bodyId}
        className={`message-text ${expanded ? 'is-expanded' : ''} ${link ? 'is-link' : ''}`}
        dir="auto"
        // Expanded, a long message scrolls in its box: keyboard users reach it too.
        tabIndex={expanded ? 0 : undefined}
      >
        {m.text}
      </div>
      <div className="message-actions">
        {toggle}
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void copy()}>
          <Icon name="copy" size={15} /> <Trans i18nKey="texts.received.copy" values={{ name: from }} components={sr} />
        </button>
        {link &&
          (electron ? (
            <button
              type="button"
              className="btn btn-secondary btn-small"
              title={link}
              onClick={() => void run(() => bridge.openTextLink(m.id), { prefix: t('texts.received.couldNotOpenLink') })}
            >
              <Icon name="open" size={15} /> <Trans i18nKey="texts.received.openLinkBrowser" values={{ name: from }} components={sr} />
            </button>
          ) : (
            <a className="btn btn-secondary btn-small" href={link} target="_blank" rel="noopener noreferrer" title={link}>
              <Icon name="open" size={15} /> <Trans i18nKey="texts.received.openLinkTab" values={{ name: from }} components={sr} />
            </a>
          ))}
      </div>
    </li>
  );
}

function MessageList({ texts, headingId, onDismissLast }: { texts: TextView[]; headingId: string; onDismissLast: () => void }) {
  const section = useRef<HTMLElement>(null);
  const { t } = useTranslation();
  // A dismissed message takes its focused button along: the next message's Dismiss takes focus.
  useFocusRescue(section, () => document.getElementById(headingId));
  return (
    <section ref={section} className="panel messages-panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <div>
          <h2 id={headingId} className="panel-title" tabIndex={-1}>
            {t('texts.received.title')}
          </h2>
          <p className="panel-sub">{t('texts.received.count', { count: texts.length })}</p>
        </div>
      </div>
      <ul className="message-list" aria-label={t('texts.received.listLabel')}>
        {texts.map((m) => (
          <Message key={m.id} message={m} last={texts.length === 1} onDismissLast={onDismissLast} />
        ))}
      </ul>
    </section>
  );
}

/** `fallbackFocus`: the element id that takes focus when the last message is dismissed (and the panel goes). */
export function MessagesPanel({ fallbackFocus }: { fallbackFocus: string }) {
  const { texts } = useAppState();
  // The last one dismissed takes the whole panel along: focus goes next door.
  const lastDismissed = useRef(false);
  useEffect(() => {
    if (texts.length > 0 || !lastDismissed.current) return;
    lastDismissed.current = false;
    if (document.activeElement === null || document.activeElement === document.body) document.getElementById(fallbackFocus)?.focus();
  }, [texts.length, fallbackFocus]);
  if (texts.length === 0) return null;
  return (
    <MessageList
      texts={texts}
      headingId={`messages-title-${fallbackFocus}`}
      onDismissLast={() => {
        lastDismissed.current = true;
      }}
    />
  );
}
