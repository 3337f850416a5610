// Past transfers (persisted by the engine): loaded on open and again whenever one finishes.

import { useCallback, useEffect, useState } from 'react';
import type { HistoryEntry } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { errorMessage } from '../state/errors.js';
import { formatBytes, formatContents, formatDuration, formatWhen, plural } from '../state/format.js';
import { stateBadge, stateTone } from '../state/transfers.js';
import { Icon } from '../ui/Icon.js';

export function HistoryView() {
  const bridge = useBridge();
  const run = useRun();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(() => {
    bridge.getHistory().then(
      (list) => {
        setEntries([...list].sort((a, b) => b.finishedAt - a.finishedAt));
        setError(null);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [bridge]);

  useEffect(() => {
    load();
    return bridge.onEvent((e) => {
      if (e.type === 'finished') load();
    });
  }, [bridge, load]);

  const clear = async (): Promise<void> => {
    const r = await run(() => bridge.clearHistory(), { prefix: 'Could not clear the history' });
    setConfirming(false);
    if (r.ok) load();
  };

  return (
    <section className="panel history-panel" aria-labelledby="history-title">
      <div className="panel-head">
        <div>
          <h2 id="history-title" className="panel-title">
            History
          </h2>
          <p className="panel-sub">
            {entries ? (entries.length === 0 ? 'No transfers yet' : plural(entries.length, 'transfer')) : 'Loading…'}
          </p>
        </div>
        {entries && entries.length > 0 && (
          <div className="panel-actions">
            {confirming ? (
              <>
                <span className="confirm-text">Clear all {plural(entries.length, 'entry', 'entries')}?</span>
                <button type="button" className="btn btn-danger btn-small" onClick={() => void clear()}>
                  Clear history
                </button>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirming(true)}>
                <Icon name="trash" size={15} /> Clear history…
              </button>
            )}
          </div>
        )}
      </div>
      {error && (
        <div className="banner banner-danger" role="alert">
          <Icon name="alert" />
          <span>Could not load the history: {error}</span>
          <button type="button" className="btn btn-ghost btn-small" onClick={load}>
            Try again
          </button>
        </div>
      )}
      {entries && entries.length === 0 && !error && (
        <div className="empty-queue">
          <Icon name="history" size={28} />
          <p>Finished transfers are listed here, sent and received.</p>
        </div>
      )}
      {entries && entries.length > 0 && (
        <ul className="history-list" aria-label="Past transfers">
          {entries.map((h) => {
            const tone = stateTone(h.state);
            return (
              <li key={`${h.id}-${h.finishedAt}`} className="history-row">
                <span className={`transfer-dir dir-${h.direction}`} aria-hidden="true">
                  <Icon name={h.direction === 'send' ? 'send' : 'receive'} size={16} />
                </span>
                <div className="history-main">
                  <p className="history-title">
                    {h.direction === 'send' ? 'To' : 'From'} {h.peerName}
                  </p>
                  <p className="history-sub">
                    {formatContents(h.fileCount, 0)} · {formatBytes(h.totalBytes)} · took {formatDuration(h.finishedAt - h.startedAt)}
                    {h.error && h.state !== 'done' && <span className="history-error"> · {h.error.message}</span>}
                  </p>
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
