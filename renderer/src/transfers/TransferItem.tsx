// One row of the queue: who, what, how far, how fast, and what can be done about it. A text
// message's row says "Message" and shows its first words instead of files, sizes and progress.

import { useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TransferView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { formatBytes, formatWhen } from '../state/format.js';
import { textSnippet } from '../state/texts.js';
import {
  failureReason,
  isActive,
  isText,
  leftOutNote,
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
  const { t: tr } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState(false);
  const filesId = useId();
  const actions = transferActions(t);
  const tone = stateTone(t.state);
  const reason = failureReason(t);
  const leftOut = leftOutNote(t);
  const active = isActive(t.state);
  const name = t.peer.name;
  const code = waitingCode(t);
  const retry = retryWords(t);
  const asksPin = t.direction === 'send' && pinPrompt(t) !== null;
  const snippet = isText(t) ? textSnippet(t.text, 200) : null;
  const files = snippet === null;
  const toPeer = t.direction === 'send';
  const moving = t.state === 'transferring' || t.state === 'verifying' || t.state === 'connecting';
  const localsend = t.protocol === 'localsend';
  const showPct = files && active && t.state !== 'waiting' && t.state !== 'connecting';
  const savedIn = files && t.direction === 'receive' && (t.state === 'done' || t.filesDone > 0) ? t.folder : null;
  const failed = t.state === 'failed';
  const sr = { sr: <span className="sr-only" /> };

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
            <h4
              className="transfer-title"
              title={snippet !== null ? tr('transfers.row.titleWithText', { title: transferTitle(t), text: snippet }) : transferTitle(t)}
            >
              {whatLabel(t)}
              <span className="transfer-peer">{peerLine(t)}</span>
            </h4>
            <span className={`pill tone-${tone}`}>
              {moving && <span className="pill-pulse" aria-hidden="true" />}
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
            {localsend && <LocalSendTag />}
            {showPct && <span className="transfer-pct">{progressPercent(t)}%</span>}
            {transferDetails(t).map((part, i) => (
              <span key={i} className="transfer-detail">
                {part}
              </span>
            ))}
            {!active && !compact && t.finishedAt && <span className="transfer-detail transfer-when">{formatWhen(t.finishedAt)}</span>}
          </p>
          {savedIn && (
            <p className="transfer-saved">
              <Trans
                i18nKey="transfers.row.savedIn"
                values={{ folder: savedIn }}
                components={{ folder: <span className="mono" title={savedIn} /> }}
              />
            </p>
          )}
          {code && (
            <p className="transfer-code">
              <Trans i18nKey="transfers.row.code" values={{ code, name }} components={{ code: <strong className="mono" /> }} />
            </p>
          )}
          {leftOut && <p className="transfer-left-out">{leftOut}</p>}
          {asksPin && <PinForm transfer={t} />}
          {reason && (
            <p className={`transfer-reason ${failed ? 'is-error' : ''}`}>
              {failed && <Icon name="alert" size={14} />}
              {failed ? tr('transfers.state.failedBecause', { reason }) : reason}
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
            {toPeer ? (
              <Trans i18nKey="transfers.row.filesTo" values={{ name }} components={sr} />
            ) : (
              <Trans i18nKey="transfers.row.filesFrom" values={{ name }} components={sr} />
            )}
          </button>
        )}
        {actions.openFolder && bridge.host.openFiles && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => void act(() => bridge.openReceived(t.id, '', 'open'), tr('transfers.row.couldNotOpenFolder'))}
          >
            <Icon name="folder" size={15} /> {tr('transfers.row.openFolder')}
          </button>
        )}
        {actions.retry && retry && (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={busy}
            title={retry.help}
            onClick={() => void act(() => bridge.retryTransfer(t.id), tr('transfers.row.couldNotSendAgain'))}
          >
            <Icon name="retry" size={15} /> {retry.label}
            <span className="sr-only"> {tr('transfers.row.retryWhatTo', { what: whatLabel(t), name, help: retry.help })}</span>
          </button>
        )}
        {actions.discardPartials && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={busy}
            title={tr('transfers.row.discardHelp')}
            onClick={() => void act(() => bridge.discardPartials(t.id), tr('transfers.row.couldNotDiscard'))}
          >
            {tr('transfers.row.discardPartials', { size: formatBytes(t.partialBytes) })}
          </button>
        )}
        {actions.cancel && (
          <button
            type="button"
            className="btn btn-secondary btn-small btn-danger-text"
            disabled={busy}
            onClick={() => void act(() => bridge.cancelTransfer(t.id), tr('transfers.row.couldNotCancel'))}
          >
            {toPeer ? (
              <Trans i18nKey="transfers.row.cancelTo" values={{ name }} components={sr} />
            ) : (
              <Trans i18nKey="transfers.row.cancelFrom" values={{ name }} components={sr} />
            )}
          </button>
        )}
        {actions.dismiss && (
          <button
            type="button"
            className="icon-button"
            disabled={busy}
            aria-label={toPeer ? tr('transfers.row.dismissTo', { name }) : tr('transfers.row.dismissFrom', { name })}
            title={tr('transfers.row.dismissHelp')}
            onClick={() => void act(() => bridge.dismissTransfer(t.id), tr('transfers.row.couldNotDismiss'))}
          >
            <Icon name="close" size={16} />
          </button>
        )}
      </div>
      {files && expanded && <TransferFiles transfer={t} id={filesId} />}
    </li>
  );
}
