// A row for files on their way from this browser to `ferry serve`, before their transfer
// starts: shown from the first moment (a large file takes a while), with progress and Cancel.

import { Trans, useTranslation } from 'react-i18next';
import type { UploadView } from '../contract.js';
import { useBridge } from '../hooks/app-context.js';
import { formatBytes } from '../state/format.js';
import { whatLabel } from '../state/transfers.js';
import { Icon } from '../ui/Icon.js';
import { ProgressBar } from '../ui/ProgressBar.js';

export function uploadPercent(u: Pick<UploadView, 'sentBytes' | 'totalBytes'>): number {
  if (u.totalBytes <= 0) return 0;
  return Math.min(99, Math.floor((Math.max(0, u.sentBytes) / u.totalBytes) * 100));
}

export function UploadItem({ upload: u }: { upload: UploadView }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const pct = uploadPercent(u);
  const what = whatLabel(u);
  const name = u.peerName;
  const sent = formatBytes(u.sentBytes);
  const total = formatBytes(u.totalBytes);
  return (
    <li className="transfer tone-info is-active">
      <div className="transfer-main">
        <span className="transfer-dir dir-send" aria-hidden="true">
          <Icon name="send" size={18} />
        </span>
        <div className="transfer-body">
          <div className="transfer-line">
            <h4 className="transfer-title" title={t('transfers.title.to', { what, name })}>
              {what}
              <span className="transfer-peer">{t('transfers.peer.to', { name })}</span>
            </h4>
            <span className="pill tone-info">
              <span className="pill-pulse" aria-hidden="true" />
              {t('transfers.upload.preparing')}
            </span>
          </div>
          <ProgressBar
            value={pct}
            label={t('transfers.upload.progressLabel', { what, name })}
            valueText={t('transfers.upload.progressText', { pct, sent, total })}
            tone="info"
          />
          <p className="transfer-details">
            <span className="transfer-pct">{pct}%</span>
            <span className="transfer-detail">{t('transfers.upload.detail', { sent, total })}</span>
          </p>
        </div>
      </div>
      <div className="transfer-actions">
        <button type="button" className="btn btn-secondary btn-small btn-danger-text" onClick={() => bridge.cancelUpload(u.id)}>
          <Trans i18nKey="transfers.upload.cancel" values={{ what, name }} components={{ sr: <span className="sr-only" /> }} />
        </button>
      </div>
    </li>
  );
}
