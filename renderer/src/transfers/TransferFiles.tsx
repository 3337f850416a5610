// A transfer's per-file detail, fetched when the row is expanded and again whenever a file
// finishes or fails. Transfers of thousands of files are common, so the list is windowed: a
// fixed-height scroller with only the rows in view rendered, each telling assistive tech its
// place in the whole (aria-posinset of aria-setsize).

import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { FileState, FileView, TransferView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { shownError } from '../state/errors.js';
import { formatBytes } from '../state/format.js';
import { fileStateLabel, savedAsNote, transferActions } from '../state/transfers.js';
import { Icon, type IconName } from '../ui/Icon.js';
import { MiddlePath } from '../ui/MiddlePath.js';
import { useRowWindow } from '../ui/windowing.js';

/** Every row is this tall (two lines and padding), which is what lets the list be windowed. */
const ROW_HEIGHT = 52;
/** Rows in view at once; the rest scroll. */
const ROWS_SHOWN = 6;

type Open = (savedAs: string, how: 'open' | 'show') => void;

/** A skipped file (left out by the receiver's person) is no failure: a dash, not a warning. */
const FILE_ICONS: Record<FileState, IconName> = { done: 'check', failed: 'alert', skipped: 'minus', pending: 'file' };

function FileRow({
  file: f,
  transfer,
  index,
  count,
  onOpen,
}: {
  file: FileView;
  transfer: TransferView;
  index: number;
  count: number;
  onOpen: Open | null;
}) {
  const note = savedAsNote(f);
  const done = f.state === 'done';
  const { t } = useTranslation();
  return (
    <li className={`file-row file-${f.state}`} style={{ height: ROW_HEIGHT }} aria-posinset={index + 1} aria-setsize={count}>
      <Icon name={FILE_ICONS[f.state] ?? 'file'} size={15} className="file-state-icon" />
      <div className="file-main">
        <MiddlePath path={f.path} className="file-path" />
        <span className="file-sub">
          {formatBytes(f.size)} · {fileStateLabel(f, transfer.state)}
          {note && <> · {note}</>}
        </span>
      </div>
      {onOpen && done && f.savedAs && (
        <div className="file-actions">
          <button type="button" className="btn btn-ghost btn-small" onClick={() => onOpen(f.savedAs!, 'open')}>
            {t('common.actions.open')}
            <span className="sr-only"> {f.path}</span>
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => onOpen(f.savedAs!, 'show')}>
            <Trans i18nKey="transfers.files.show" values={{ path: f.path }} components={{ sr: <span className="sr-only" /> }} />
          </button>
        </div>
      )}
    </li>
  );
}

function FileList({ files, transfer, onOpen }: { files: FileView[]; transfer: TransferView; onOpen: Open | null }) {
  const scroller = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const name = transfer.peer.name;
  const w = useRowWindow(scroller, files.length, ROW_HEIGHT, { initialHeight: ROWS_SHOWN * ROW_HEIGHT });
  return (
    // The list itself takes focus (arrow keys, Page Down, Home and End scroll its scroller),
    // so it can be read through even where no row has a button.
    <div ref={scroller} className="file-scroll" style={{ height: Math.min(files.length, ROWS_SHOWN) * ROW_HEIGHT }}>
      <ul
        className="file-list"
        tabIndex={0}
        aria-label={transfer.direction === 'send' ? t('transfers.files.sentTo', { name }) : t('transfers.files.receivedFrom', { name })}
        style={{ paddingTop: w.before, paddingBottom: w.after }}
      >
        {files.slice(w.start, w.end).map((f, i) => (
          <FileRow key={f.path} file={f} transfer={transfer} index={w.start + i} count={files.length} onOpen={onOpen} />
        ))}
      </ul>
    </div>
  );
}

export function TransferFiles({ transfer, id }: { transfer: TransferView; id: string }) {
  const bridge = useBridge();
  const run = useRun();
  const { t } = useTranslation();
  const [files, setFiles] = useState<FileView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canOpen = bridge.host.openFiles && transferActions(transfer).openFiles;

  useEffect(() => {
    let live = true;
    bridge.getTransferFiles(transfer.id).then(
      (list) => {
        if (!live) return;
        setFiles(list);
        setError(null);
      },
      (err: unknown) => live && setError(shownError(err)),
    );
    return () => {
      live = false;
    };
  }, [bridge, transfer.id, transfer.state, transfer.filesDone, transfer.filesFailed]);

  const open: Open = (savedAs, how) => {
    void run(() => bridge.openReceived(transfer.id, savedAs, how), {
      prefix: how === 'open' ? t('transfers.files.couldNotOpen') : t('transfers.files.couldNotShow'),
    });
  };

  if (error) {
    return (
      <div id={id} className="transfer-files-note">
        {t('transfers.files.unavailable', { error })}
      </div>
    );
  }
  if (!files) {
    return (
      <div id={id} className="transfer-files-note" role="status">
        <span className="spinner" aria-hidden="true" /> {t('transfers.files.loading')}
      </div>
    );
  }
  // The engine keeps per-file detail up to a limit (TRANSFER_DETAIL_FILES); the counts are whole.
  const notListed = transfer.fileCount - files.length;
  return (
    <div id={id} className="transfer-files">
      {files.length === 0 ? (
        <p className="transfer-files-note">{t('transfers.files.none')}</p>
      ) : (
        <FileList files={files} transfer={transfer} onOpen={canOpen ? open : null} />
      )}
      {notListed > 0 && files.length > 0 && (
        <p className="transfer-files-note">
          {t('transfers.files.notListed', {
            shown: files.length,
            files: t('common.count.files', { count: transfer.fileCount }),
            more: t('transfers.files.moreFiles', { count: notListed }),
          })}
        </p>
      )}
    </div>
  );
}
