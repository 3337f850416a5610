// The queue: active transfers first, then finished ones, each group under its heading.

import { useState } from 'react';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { groupTransfers } from '../state/transfers.js';
import { Icon } from '../ui/Icon.js';
import { TransferItem } from './TransferItem.js';

export function TransferList({ compact, title = 'Transfers' }: { compact?: boolean; title?: string }) {
  const { transfers } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  const [clearing, setClearing] = useState(false);
  const { active, finished } = groupTransfers(transfers);
  const headingId = compact ? 'queue-title-compact' : 'queue-title';

  const clearFinished = async (): Promise<void> => {
    setClearing(true);
    for (const t of finished) {
      const r = await run(() => bridge.dismissTransfer(t.id));
      if (!r.ok) break;
    }
    setClearing(false);
  };

  return (
    <section className={`panel queue-panel ${compact ? 'is-compact' : ''}`} aria-labelledby={headingId}>
      <div className="panel-head">
        <div>
          <h2 id={headingId} className="panel-title">
            {title}
          </h2>
          <p className="panel-sub">
            {transfers.length === 0 ? 'Nothing yet' : `${active.length} in progress · ${finished.length} finished`}
          </p>
        </div>
        {finished.length > 0 && (
          <div className="panel-actions">
            <button type="button" className="btn btn-ghost btn-small" disabled={clearing} onClick={() => void clearFinished()}>
              Clear finished
            </button>
          </div>
        )}
      </div>
      {transfers.length === 0 ? (
        <div className="empty-queue">
          <Icon name="transfers" size={28} />
          <p>Transfers show up here. Drop files on a device, or use its “Send files…” button.</p>
        </div>
      ) : (
        <>
          {active.length > 0 && (
            <>
              <h3 className="group-title">In progress</h3>
              <ul className="transfer-list" aria-label="Transfers in progress">
                {active.map((t) => (
                  <TransferItem key={t.id} transfer={t} compact={compact} />
                ))}
              </ul>
            </>
          )}
          {finished.length > 0 && (
            <>
              <h3 className="group-title">Finished</h3>
              <ul className="transfer-list" aria-label="Finished transfers">
                {finished.map((t) => (
                  <TransferItem key={t.id} transfer={t} compact={compact} />
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
