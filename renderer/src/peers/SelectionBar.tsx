// The devices selected on Devices (their cards' checkboxes, or Ctrl/Cmd+click): how many, and
// what can be sent to all of them at once. Each device gets a transfer (or message) of its own.

import type { PeerView } from '../contract.js';
import { useNotify } from '../hooks/app-context.js';
import { plural } from '../state/format.js';
import { useCompose } from '../texts/compose.js';
import { Icon } from '../ui/Icon.js';
import { namesOf } from '../state/peers.js';
import { pickFiles, useSendToMany } from './multi.js';

export function SelectionBar({ peers, onClear }: { peers: PeerView[]; onClear: () => void }) {
  const sendToMany = useSendToMany();
  const compose = useCompose();
  const notify = useNotify();
  const keys = peers.map((p) => p.key);
  const count = plural(peers.length, 'device');
  const to = peers.length === 1 ? ` to ${peers[0]!.name}` : ` to the ${peers.length} selected devices`;

  // Straight from the click: a browser opens its picker only while the click still counts.
  const send = (kind: 'files' | 'folder'): void => {
    void pickFiles(kind).then((files) => {
      if (files === null) return;
      if (files.length === 0) return notify('error', 'That folder holds no files: nothing to send');
      return sendToMany(keys, files);
    });
  };

  return (
    <div className="selection-bar" role="group" aria-label="Selected devices">
      <p className="selection-text">
        <strong>{count} selected</strong>
        <span className="selection-names" title={peers.map((p) => p.name).join(', ')}>
          {namesOf(peers)}
        </span>
      </p>
      <div className="selection-actions">
        <button type="button" className="btn btn-primary btn-small" onClick={() => send('files')}>
          <Icon name="file" size={15} /> Send files…<span className="sr-only">{to}</span>
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => send('folder')}>
          <Icon name="folder" size={15} /> Send folder…<span className="sr-only">{to}</span>
        </button>
        <button type="button" className="btn btn-secondary btn-small" aria-haspopup="dialog" onClick={() => compose(keys)}>
          <Icon name="message" size={15} /> Send text…<span className="sr-only">{to}</span>
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
          Clear<span className="sr-only"> the selection</span>
        </button>
      </div>
    </div>
  );
}
