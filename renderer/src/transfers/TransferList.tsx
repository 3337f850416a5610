// The queue: active transfers first, then finished ones, each group under its heading.

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState, useBridge, useRun, useStoreSnapshot } from '../hooks/app-context.js';
import { groupTransfers } from '../state/transfers.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { TransferItem } from './TransferItem.js';
import { UploadItem } from './UploadItem.js';

export function TransferList({ compact, title }: { compact?: boolean; title?: string }) {
  const { t } = useTranslation();
  const { transfers } = useAppState();
  const { uploads } = useStoreSnapshot();
  const bridge = useBridge();
  const run = useRun();
  const [clearing, setClearing] = useState(false);
  const { active, finished } = groupTransfers(transfers);
  const headingId = compact ? 'queue-title-compact' : 'queue-title';
  const section = useRef<HTMLElement>(null);
  // A dismissed row takes its focused button along: focus goes to the same button of the next
  // row, or, once "Clear finished" or the last row is gone, to the heading.
  useFocusRescue(section, () => document.getElementById(headingId));

  const clearFinished = async (): Promise<void> => {
    setClearing(true);
    for (const t of finished) {
      const r = await run(() => bridge.dismissTransfer(t.id));
      if (!r.ok) break;
    }
    setClearing(false);
  };

  return (
    <section ref={section} className={`panel queue-panel ${compact ? 'is-compact' : ''}`} aria-labelledby={headingId}>
      <div className="panel-head">
        <div>
          <h2 id={headingId} className="panel-title" tabIndex={-1}>
            {title ?? t('transfers.list.title')}
          </h2>
          <p className="panel-sub">
            {transfers.length + uploads.length === 0
              ? t('transfers.list.nothingYet')
              : t('transfers.list.counts', { active: active.length + uploads.length, finished: finished.length })}
          </p>
        </div>
        {finished.length > 0 && (
          <div className="panel-actions">
            <button type="button" className="btn btn-ghost btn-small" disabled={clearing} onClick={() => void clearFinished()}>
              {t('transfers.list.clearFinished')}
            </button>
          </div>
        )}
      </div>
      {transfers.length + uploads.length === 0 ? (
        <div className="empty-queue">
          <Icon name="transfers" size={28} />
          <p>{t('transfers.list.empty')}</p>
        </div>
      ) : (
        <>
          {active.length + uploads.length > 0 && (
            <>
              <h3 className="group-title">{t('transfers.list.inProgress')}</h3>
              <ul className="transfer-list" aria-label={t('transfers.list.inProgressLabel')}>
                {uploads.map((u) => (
                  <UploadItem key={u.id} upload={u} />
                ))}
                {active.map((t) => (
                  <TransferItem key={t.id} transfer={t} compact={compact} />
                ))}
              </ul>
            </>
          )}
          {finished.length > 0 && (
            <>
              <h3 className="group-title">{t('transfers.list.finished')}</h3>
              <ul className="transfer-list" aria-label={t('transfers.list.finishedLabel')}>
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
