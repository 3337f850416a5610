// Trusting a listed device: the person first compares the code both screens show for this
// pair of devices (a device in the middle would hold other keys, and show another code), then
// files from it arrive without asking. The one way to trust under "trusted devices only",
// where no offer dialog ever appears. A LocalSend app shows no code: there the person can only
// be sure of the device itself, and is told so.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeerView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { peerLabel } from '../state/peers.js';
import { Icon } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';

export function TrustDialog({ peer, onClose }: { peer: PeerView & { id: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  const [busy, setBusy] = useState(false);
  const localsend = peer.protocol === 'localsend';
  const code = localsend ? null : peer.verificationCode;
  const trust = async (): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.trustDevice(peer.id), { prefix: t('peers.failed.trust', { name: peer.name }) });
    setBusy(false);
    if (r.ok) onClose();
  };
  return (
    <Modal labelledBy="trust-title" describedBy="trust-desc" onClose={onClose} className="confirm-dialog" initialFocus="trust-cancel">
      <div className="modal-head">
        <span className="modal-icon" aria-hidden="true">
          <Icon name="shield" size={22} />
        </span>
        <div>
          <h2 id="trust-title" className="modal-title">
            {t('peers.trust.title', { label: peerLabel(peer) })}
          </h2>
          <p id="trust-desc" className="modal-sub">
            {!localsend ? t('peers.trust.desc', { name: peer.name }) : t('peers.trust.descLocalsend', { name: peer.name })}
          </p>
        </div>
      </div>
      {code && (
        <p className="verification-code" aria-label={t('peers.trust.code', { code })}>
          {code}
        </p>
      )}
      <div className="modal-actions">
        <button id="trust-cancel" type="button" className="btn btn-ghost" onClick={onClose}>
          {t('common.actions.cancel')}
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void trust()}>
          {code ? t('peers.trust.match') : t('peers.trust.confirm')}
        </button>
      </div>
    </Modal>
  );
}
