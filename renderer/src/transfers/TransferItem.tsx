// One row of the queue: who, what, how far, how fast, and what can be done about it. A text
// message's row says "Message" and shows its first words instead of files, sizes and progress.

import { useId, useState } from 'react';
import type { TransferView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { formatBytes, formatWhen } from '../state/format.js';
import { textSnippet } from '../state/texts.js';
import {
  failureReason,
  isActive,
  isText,
  pinPrompt,
  peerLine,
  progressLabel,
  progressPercent,
  progressText,
  stateBadge,
  stateTone,
  transferActions,
  retryWords,
  transferDetails,
  transferTitle,
  waitingCode,
  whatLabel,
} from '../state/transfers.js';
import { Icon } from '../ui/Icon.js';
import { LocalSendTag } from '../ui/LocalSendTag.js';
import { ProgressBar } from '../ui/ProgressBar.js';
import { PinForm } from './PinForm.js';
import { TransferFiles } from './TransferFiles.js';

export function TransferItem({ transfer: t, compact }: { transfer: TransferView; compact?: boolean }) {
  const bridge = useBridge();
  const run = useRun();
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState(false);
  const filesId = useId();
  const actions = transferActions(t);
  const tone = stateTone(t.state);
  const reason = failureReason(t);
  const active = isActive(t.state);
  const name = t.peer.name;
  const code = waitingCode(t);
  const retry = retryWords(t);
  const asksPin = t.direction === 'send' && pinPrompt(t) !== null;
  const snippet = isText(t) ? textSnippet(t.text, 200) : null;
  const files = snippet === null;

  const act = async (call: () => Promise<unknown>, prefix: string): Promise<void> => {
    setBusy(true);
    await run(call, { prefix });
    setBusy(false);
  };

  return (
    <li className={`transfer tone-${tone} ${active ? 'is-active' : 'is-finished'}`}>
      <div className="transfer-main">
        <span className={`transfer-dir dir-${t.direction}`} aria-hidden="true">
          <Icon name={files ? (t.direction === 'send' ? 'send' : 'receive') : 'message'} size={18} />
        </span>
        <div className="transfer-body">
          <div className="transfer-line">
            <h4 className="transfer-title" title={snippet !== null ? `${transferTitle(t)}: ${snippet}` : transferTitle(t)}>
              {whatLabel(t)}
              <span className="transfer-peer">{peerLine(t)}</span>
            </h4>
            <span className={`pill tone-${tone}`}>
              {(t.state === 'transferring' || t.state === 'verifying' || t.state === 'connecting') && (
                <span className="pill-pulse" aria-hidden="true" />
              )}
              {stateBadge(t)}
            </span>
          </div>
          {snippet !== null ? (
            <p className="transfer-snippet" dir="auto">
              {snippet}
            </p>
          ) : (
            <ProgressBar value={progressPercent(t)} label={progressLabel(t)} valueText={progressText(t)} tone={tone} />
          )}
          <p className="transfer-details">
            {t.protocol === 'localsend' && <LocalSendTag />}
            {files && active && t.state !== 'waiting' && t.state !== 'connecting' && (
              <span className="transfer-pct">{progressPercent(t)}%</span>
            )}
            {transferDetails(t).map((part, i) => (
              <span key={i} className="transfer-detail">
                {part}
              </span>
            ))}
            {!active && !compact && t.finishedAt && <span className="transfer-detail transfer-when">{formatWhen(t.finishedAt)}</span>}
          </p>
          {files && t.direction === 'receive' && t.folder && (t.state === 'done' || t.filesDone > 0) && (
            <p className="transfer-saved">
              Saved in{' '}
              <span className="mono" title={t.folder}>
                {t.folder}
              </span>
            </p>
          )}
          {code && (
            <p className="transfer-code">
              Verification code <strong className="mono">{code}</strong>: check that {name} shows the same code before accepting.
            </p>
          )}
          {asksPin && <PinForm transfer={t} />}
          {reason && (
            <p className={`transfer-reason ${t.state === 'failed' ? 'is-error' : ''}`}>
              {t.state === 'failed' && <Icon name="alert" size={14} />}
              {t.state === 'failed' ? `Failed: ${reason}` : reason}
            </p>
          )}
        </div>
      </div>
      <div className="transfer-actions">
        {files && (
          <button
            type="button"
            className="btn btn-ghost btn-small expand-button"
            aria-expanded={expanded}
            aria-controls={expanded ? filesId : undefined}
            onClick={() => setExpanded((e) => !e)}
          >
            <Icon name="chevron" size={15} className="chevron" />
            Files
            <span className="sr-only">
              {' '}
              of the transfer {t.direction === 'send' ? 'to' : 'from'} {name}
            </span>
          </button>
        )}
        {actions.openFolder && bridge.host.openFiles && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => void act(() => bridge.openReceived(t.id, '', 'open'), 'Could not open the folder')}
          >
            <Icon name="folder" size={15} /> Open folder
          </button>
        )}
        {actions.retry && retry && (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={busy}
            title={retry.help}
            onClick={() => void act(() => bridge.retryTransfer(t.id), 'Could not send again')}
          >
            <Icon name="retry" size={15} /> {retry.label}
            <span className="sr-only">
              {' '}
              {whatLabel(t)} to {name}. {retry.help}
            </span>
          </button>
        )}
        {actions.discardPartials && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={busy}
            title="Deletes what arrived of the unfinished files; a new send starts them from the beginning"
            onClick={() => void act(() => bridge.discardPartials(t.id), 'Could not discard the partial files')}
          >
            Discard partial files ({formatBytes(t.partialBytes)})
          </button>
        )}
        {actions.cancel && (
          <button
            type="button"
            className="btn btn-secondary btn-small btn-danger-text"
            disabled={busy}
            onClick={() => void act(() => bridge.cancelTransfer(t.id), 'Could not cancel')}
          >
            Cancel
            <span className="sr-only">
              {' '}
              the transfer {t.direction === 'send' ? 'to' : 'from'} {name}
            </span>
          </button>
        )}
        {actions.dismiss && (
          <button
            type="button"
            className="icon-button"
            disabled={busy}
            aria-label={`Dismiss the transfer ${t.direction === 'send' ? 'to' : 'from'} ${name}`}
            title="Remove from the list"
            onClick={() => void act(() => bridge.dismissTransfer(t.id), 'Could not dismiss')}
          >
            <Icon name="close" size={16} />
          </button>
        )}
      </div>
      {files && expanded && <TransferFiles transfer={t} id={filesId} />}
    </li>
  );
}
