// The devices selected on Devices (their cards' checkboxes, or Ctrl/Cmd+click): how many, and
// what can be sent to all of them at once. Each device gets a transfer (or message) of its own.

import { Trans, useTranslation } from 'react-i18next';
import type { PeerView } from '../contract.js';
import { useNotify } from '../hooks/app-context.js';
import { useCompose } from '../texts/compose.js';
import { Icon } from '../ui/Icon.js';
import { namesOf } from '../state/peers.js';
import { pickFiles, useSendToMany } from './multi.js';

export function SelectionBar({ peers, onClear }: { peers: PeerView[]; onClear: () => void }) {
  const { t } = useTranslation();
  const sendToMany = useSendToMany();
  const compose = useCompose();
  const notify = useNotify();
  const keys = peers.map((p) => p.key);
  const to = peers.length === 1 ? t('peers.selection.toOne', { name: peers[0]!.name }) : t('peers.selection.toMany', { n: peers.length });

  // Straight from the click: a browser opens its picker only while the click still counts.
  const send = (kind: 'files' | 'folder'): void => {
    void pickFiles(kind).then((files) => {
      if (files === null) return;
      if (files.length === 0) return notify('error', t('peers.selection.noFiles'));
      return sendToMany(keys, files);
    });
  };

  return (
    <div className="selection-bar" role="group" aria-label={t('peers.selection.label')}>
      <p className="selection-text">
        <strong>{t('peers.selection.count', { count: peers.length })}</strong>
        <span className="selection-names" title={peers.map((p) => p.name).join(', ')}>
          {namesOf(peers)}
        </span>
      </p>
      <div className="selection-actions">
        <button type="button" className="btn btn-primary btn-small" onClick={() => send('files')}>
          <Icon name="file" size={15} /> {t('peers.card.sendFiles')}
          <span className="sr-only"> {to}</span>
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => send('folder')}>
          <Icon name="folder" size={15} /> {t('peers.card.sendFolder')}
          <span className="sr-only"> {to}</span>
        </button>
        <button type="button" className="btn btn-secondary btn-small" aria-haspopup="dialog" onClick={() => compose(keys)}>
          <Icon name="message" size={15} /> {t('peers.card.sendText')}
          <span className="sr-only"> {to}</span>
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
          <Trans t={t} i18nKey="peers.selection.clear" components={{ sr: <span className="sr-only" /> }} />
        </button>
      </div>
    </div>
  );
}
