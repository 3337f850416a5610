// Trusting a listed device: the person first compares the code both screens show for this
// pair of devices (a device in the middle would hold other keys, and show another code), then
// files from it arrive without asking. The one way to trust under "trusted devices only",
// where no offer dialog ever appears.

import { useState } from 'react';
import type { PeerView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { Icon } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';

export function TrustDialog({ peer, onClose }: { peer: PeerView & { id: string; verificationCode: string }; onClose: () => void }) {
  const bridge = useBridge();
  const run = useRun();
  const [busy, setBusy] = useState(false);
  const trust = async (): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.trustDevice(peer.id), { prefix: `Could not trust ${peer.name}` });
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
            Trust {peer.name}?
          </h2>
          <p id="trust-desc" className="modal-sub">
            Open Ferry on {peer.name} and check that it shows the same code for this device. Files from a trusted device arrive without
            asking.
          </p>
        </div>
      </div>
      <p className="verification-code" aria-label={`Verification code ${peer.verificationCode}`}>
        {peer.verificationCode}
      </p>
      <div className="modal-actions">
        <button id="trust-cancel" type="button" className="btn btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void trust()}>
          The codes match: trust
        </button>
      </div>
    </Modal>
  );
}
