// An incoming offer, one at a time (oldest first): who sends, the code to compare on both
// screens, what is offered, and the three answers. A changed identity is said loudly. A
// LocalSend app shows no code, so none is asked for; one that proves no identity (no
// certificate) can never be trusted, so "Always accept" is not offered for it. A text message
// is offered the same way: how long it is, its words only once accepted (then in Messages).

import { useState } from 'react';
import type { OfferView } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { formatBytes, plural } from '../state/format.js';
import { isTextOffer } from '../state/notices.js';
import { currentOffer, entriesNotShown, formatVerificationCode, offerQueue, offerSummary } from '../state/offers.js';
import { platformName } from '../state/peers.js';
import { Icon } from '../ui/Icon.js';
import { LocalSendTag } from '../ui/LocalSendTag.js';
import { MiddlePath } from '../ui/MiddlePath.js';
import { Modal } from '../ui/Modal.js';
import { PlatformIcon } from '../ui/PlatformIcon.js';

type Answer = 'accept' | 'decline' | 'always';

function OfferBody({ offer, waiting }: { offer: OfferView; waiting: number }) {
  const bridge = useBridge();
  const run = useRun();
  const [pending, setPending] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const from = offer.from;
  const hidden = entriesNotShown(offer);
  const titleId = `offer-title-${offer.id}`;
  const descId = `offer-desc-${offer.id}`;
  const platform = platformName(from.platform);
  // A changed identity makes declining the default-looking choice.
  const risky = from.identityChangedFrom !== null;
  const localsend = from.protocol === 'localsend';
  // Only a device that proved its id can be trusted ("always accept" trusts that id).
  const canTrust = from.verified;
  const text = isTextOffer(offer) ? offer.text : null;
  const what = text ? 'a message' : 'files';

  const answer = async (a: Answer): Promise<void> => {
    setPending(a);
    setError(null);
    const r = await run(() => bridge.answerOffer(offer.id, a), { quiet: true });
    // On success the offer leaves the state and this dialog with it (or the next one shows).
    if (!r.ok) {
      setPending(null);
      setError(r.message);
    }
  };

  return (
    <Modal labelledBy={titleId} describedBy={descId} className="offer-dialog" initialFocus={`offer-decline-${offer.id}`}>
      <div className="modal-head offer-head">
        <PlatformIcon platform={from.platform} size={28} />
        <div>
          <h2 id={titleId} className="modal-title">
            {text ? (
              <>
                {from.name} wants to send you a message <span className="offer-title-count">({plural(text.chars, 'character')})</span>
              </>
            ) : (
              `${from.name} wants to send you files`
            )}
          </h2>
          <p className="modal-sub">
            <span className="mono">{from.address}</span>
            {platform && <> · {platform}</>}
            {localsend && <LocalSendTag />}
            {from.trusted && (
              <span className="badge badge-trusted">
                <Icon name="shield" size={13} /> Trusted
              </span>
            )}
          </p>
        </div>
        {waiting > 0 && <span className="badge offer-queue">{plural(waiting, 'more offer')} waiting</span>}
      </div>

      {from.identityChangedFrom && (
        <div className="banner banner-danger" role="alert">
          <Icon name="alert" />
          <div>
            <strong>This is not the “{from.name}” you trusted.</strong> It has a different identity than before.{' '}
            {localsend ? 'LocalSend' : 'Ferry'} may have been reinstalled on it, or another device is using its name. Accept only if you
            have checked with its owner.
          </div>
        </div>
      )}

      {!canTrust ? (
        <div className="banner banner-warning offer-unverified" id={descId}>
          <Icon name="alert" />
          <span>
            <strong>This app does not prove who it is.</strong> Accept only if you expect {what} from {from.name}.
          </span>
        </div>
      ) : localsend ? (
        <p className="offer-note" id={descId}>
          <Icon name="info" size={16} />
          <span>
            Sent with LocalSend, which shows no code to compare: accept if you expect {what} from {from.name}.
          </span>
        </p>
      ) : (
        <div className="verification" id={descId}>
          <p className="verification-text">Check that the sender sees the same code:</p>
          <p className="verification-code">{formatVerificationCode(from.verificationCode)}</p>
        </div>
      )}

      {text ? (
        <div className="offer-text">
          <span className="offer-text-icon" aria-hidden="true">
            <Icon name="message" size={20} />
          </span>
          <p>
            <strong>A text message of {plural(text.chars, 'character')}.</strong> Its words show under Messages once you accept.
          </p>
        </div>
      ) : (
        <>
          <div className="offer-summary">
            <span>
              <strong>{plural(offer.fileCount, 'file')}</strong>
              {offer.dirCount > 0 && <> in {plural(offer.dirCount, 'folder')}</>}
            </span>
            <span className="offer-size">{formatBytes(offer.totalBytes)}</span>
          </div>

          <ul className="offer-files" aria-label={`Offered: ${offerSummary(offer)}`} tabIndex={0}>
            {offer.entries.map((e) => (
              <li key={e.path} className={e.dir ? 'is-dir' : undefined}>
                <Icon name={e.dir ? 'folder' : 'file'} size={16} />
                <MiddlePath path={e.path} className="offer-path" />
                {!e.dir && e.size !== null && <span className="offer-file-size">{formatBytes(e.size)}</span>}
              </li>
            ))}
            {hidden > 0 && <li className="offer-more">and {plural(hidden, 'more item')}</li>}
          </ul>
        </>
      )}

      {error && (
        <div className="banner banner-danger" role="alert">
          <Icon name="alert" />
          <span>{error}</span>
        </div>
      )}

      <div className="modal-actions offer-actions">
        <button
          id={`offer-decline-${offer.id}`}
          type="button"
          className={risky ? 'btn btn-primary' : 'btn btn-secondary'}
          disabled={pending !== null}
          onClick={() => void answer('decline')}
        >
          Decline
        </button>
        {canTrust && (
          <button type="button" className="btn btn-secondary" disabled={pending !== null} onClick={() => void answer('always')}>
            Always accept from this device
          </button>
        )}
        <button
          type="button"
          className={risky ? 'btn btn-secondary' : 'btn btn-primary'}
          disabled={pending !== null}
          onClick={() => void answer('accept')}
        >
          {pending === 'accept' ? <span className="spinner" aria-hidden="true" /> : <Icon name="check" size={16} />}
          Accept
        </button>
      </div>
    </Modal>
  );
}

export function OfferDialog() {
  const { offers } = useAppState();
  const offer = currentOffer(offers);
  if (!offer) return null;
  // Keyed by offer: the next offer is a fresh dialog with fresh focus and state.
  return <OfferBody key={offer.id} offer={offer} waiting={offerQueue(offers).length - 1} />;
}
