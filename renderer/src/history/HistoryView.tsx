// Past transfers (persisted by the engine): loaded on open and again whenever one finishes.
// Clearing them asks first, in a dialog.

import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { errorText } from '../i18n/setup.js';
import { shownError } from '../state/errors.js';
import { formatBytes, formatContents, formatDuration, formatWhen } from '../state/format.js';
import { textSnippet } from '../state/texts.js';
import { isText, stateBadge, stateTone, whatLabel } from '../state/transfers.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';

function ConfirmClear({ count, onConfirm, onClose }: { count: number; onConfirm: () => Promise<void>; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  // Closed by the parent once the engine answered, whichever way.
  const confirm = (): void => {
    setBusy(true);
    void onConfirm();
  };
  return (
    // Focus starts on Keep: Enter pressed out of habit must not wipe the history.
    <Modal
      labelledBy="clear-history-title"
      describedBy="clear-history-desc"
      onClose={onClose}
      className="confirm-dialog"
      initialFocus="clear-history-keep"
    >
      <div className="modal-head">
        <span className="modal-icon modal-icon-danger" aria-hidden="true">
          <Icon name="trash" size={22} />
        </span>
        <div>
          <h2 id="clear-history-title" className="modal-title">
            {t('history.confirm.title')}
          </h2>
          <p id="clear-history-desc" className="modal-sub">
            {t('history.confirm.text', { count })}
          </p>
        </div>
      </div>
      <div className="modal-actions">
        <button id="clear-history-keep" type="button" className="btn btn-ghost" onClick={onClose}>
          {t('history.confirm.keep')}
        </button>
        <button type="button" className="btn btn-danger" disabled={busy} onClick={confirm}>
          {t('history.confirm.clear')}
        </button>
      </div>
    </Modal>
  );
}

export function HistoryView() {
  const bridge = useBridge();
  const run = useRun();
  const { t } = useTranslation();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const section = useRef<HTMLElement>(null);
  // Once cleared, "Clear history…" is gone with the entries: the heading takes its focus.
  useFocusRescue(section, () => document.getElementById('history-title'));

  const load = useCallback(() => {
    bridge.getHistory().then(
      (list) => {
        setEntries([...list].sort((a, b) => b.finishedAt - a.finishedAt));
        setError(null);
      },
      (err: unknown) => setError(shownError(err)),
    );
  }, [bridge]);

  useEffect(() => {
    load();
    return bridge.onEvent((e) => {
      if (e.type === 'finished') load();
    });
  }, [bridge, load]);

  const clear = async (): Promise<void> => {
    const r = await run(() => bridge.clearHistory(), { prefix: t('history.couldNotClear') });
    setConfirming(false);
    if (r.ok) load();
  };

  return (
    <section ref={section} className="panel history-panel" aria-labelledby="history-title">
      <div className="panel-head">
        <div>
          <h2 id="history-title" className="panel-title" tabIndex={-1}>
            {t('history.title')}
          </h2>
          <p className="panel-sub">
            {entries ? (entries.length === 0 ? t('history.none') : t('history.count', { count: entries.length })) : t('history.loading')}
          </p>
        </div>
        {entries && entries.length > 0 && (
          <div className="panel-actions">
            <button type="button" className="btn btn-ghost btn-small" aria-haspopup="dialog" onClick={() => setConfirming(true)}>
              <Icon name="trash" size={15} /> {t('history.clear')}
            </button>
          </div>
        )}
      </div>
      {confirming && entries && <ConfirmClear count={entries.length} onConfirm={clear} onClose={() => setConfirming(false)} />}
      {error && (
        <div className="banner banner-danger" role="alert">
          <Icon name="alert" />
          <span>{t('history.couldNotLoad', { error })}</span>
          <button type="button" className="btn btn-ghost btn-small" onClick={load}>
            {t('history.tryAgain')}
          </button>
        </div>
      )}
      {entries && entries.length === 0 && !error && (
        <div className="empty-queue">
          <Icon name="history" size={28} />
          <p>{t('history.empty')}</p>
        </div>
      )}
      {entries && entries.length > 0 && (
        <ul className="history-list" aria-label={t('history.listLabel')}>
          {entries.map((h) => {
            const tone = stateTone(h.state);
            // A message shows its first words where files show their counts and size.
            const snippet = isText(h) ? textSnippet(h.text, 160) : null;
            const failure = h.error && h.state !== 'done' ? errorText(h.error) : null;
            return (
              <li key={`${h.id}-${h.finishedAt}`} className="history-row">
                <span className={`transfer-dir dir-${h.direction}`} aria-hidden="true">
                  <Icon name={snippet !== null ? 'message' : h.direction === 'send' ? 'send' : 'receive'} size={16} />
                </span>
                <div className="history-main">
                  <p className="history-title">
                    {whatLabel(h)}
                    <span className="transfer-peer">
                      {h.direction === 'send' ? t('history.to', { name: h.peerName }) : t('history.from', { name: h.peerName })}
                    </span>
                  </p>
                  {snippet !== null ? (
                    <p className="history-sub" title={snippet}>
                      <span className="history-snippet" dir="auto">
                        {snippet}
                      </span>
                      {failure && <span className="history-error"> · {failure}</span>}
                    </p>
                  ) : (
                    <p className="history-sub">
                      {formatContents(h.fileCount, h.dirCount)} · {formatBytes(h.totalBytes)} ·{' '}
                      {t('history.took', { duration: formatDuration(h.finishedAt - h.startedAt) })}
                      {failure && <span className="history-error"> · {failure}</span>}
                    </p>
                  )}
                </div>
                <span className={`pill tone-${tone}`}>{stateBadge({ state: h.state, direction: h.direction, error: h.error })}</span>
                <time className="history-when" dateTime={Number.isFinite(h.finishedAt) ? new Date(h.finishedAt).toISOString() : undefined}>
                  {formatWhen(h.finishedAt)}
                </time>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
