// A transfer's per-file detail (the first TRANSFER_DETAIL_FILES files), fetched when the row
// is expanded and again whenever a file finishes or fails.

import { useEffect, useState } from 'react';
import { TRANSFER_DETAIL_FILES, type FileView, type TransferView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { errorMessage } from '../state/errors.js';
import { formatBytes, plural } from '../state/format.js';
import { fileStateLabel, savedAsNote, transferActions } from '../state/transfers.js';
import { Icon } from '../ui/Icon.js';

export function TransferFiles({ transfer, id }: { transfer: TransferView; id: string }) {
  const bridge = useBridge();
  const run = useRun();
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
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [bridge, transfer.id, transfer.state, transfer.filesDone, transfer.filesFailed]);

  const open = (savedAs: string, how: 'open' | 'show'): void => {
    void run(() => bridge.openReceived(transfer.id, savedAs, how), {
      prefix: how === 'open' ? 'Could not open the file' : 'Could not show the file',
    });
  };

  if (error) {
    return (
      <div id={id} className="transfer-files-note">
        Details are not available: {error}
      </div>
    );
  }
  if (!files) {
    return (
      <div id={id} className="transfer-files-note" role="status">
        <span className="spinner" aria-hidden="true" /> Loading files…
      </div>
    );
  }
  const notListed = transfer.fileCount - files.length;
  return (
    <div id={id} className="transfer-files">
      {files.length === 0 ? (
        <p className="transfer-files-note">No file details yet.</p>
      ) : (
        <ul aria-label={`Files ${transfer.direction === 'send' ? 'sent to' : 'received from'} ${transfer.peer.name}`}>
          {files.map((f) => {
            const note = savedAsNote(f);
            return (
              <li key={f.path} className={`file-row file-${f.state}`}>
                <Icon name={f.state === 'done' ? 'check' : f.state === 'failed' ? 'alert' : 'file'} size={15} className="file-state-icon" />
                <div className="file-main">
                  <span className="file-path" title={f.path}>
                    {f.path}
                  </span>
                  <span className="file-sub">
                    {formatBytes(f.size)} · {fileStateLabel(f, transfer.state)}
                    {note && <> · {note}</>}
                  </span>
                </div>
                {canOpen && f.state === 'done' && f.savedAs && (
                  <div className="file-actions">
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => open(f.savedAs!, 'open')}>
                      Open<span className="sr-only"> {f.path}</span>
                    </button>
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => open(f.savedAs!, 'show')}>
                      Show in folder<span className="sr-only"> {f.path}</span>
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {notListed > 0 && (
        <p className="transfer-files-note">
          Details cover the first {plural(Math.min(files.length, TRANSFER_DETAIL_FILES), 'file')}; {plural(notListed, 'more file')} not
          listed.
        </p>
      )}
    </div>
  );
}
