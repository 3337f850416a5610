// An incoming offer, one at a time (oldest first): who sends, the code to compare on both
// screens, what is offered, and the three answers. A changed identity is said loudly. A
// LocalSend app shows no code, so none is asked for; one that proves no identity (no
// certificate) can never be trusted, so "Always accept" is not offered for it. A text message
// is offered the same way: how long it is, its words only once accepted (then in Messages).
// Of files, the person can leave out what they do not want (OfferChoices) and send this
// transfer to another folder (SaveTo); the answer names them only when they differ from all of
// it into the download folder.

import { useMemo, useState } from 'react';
import type { OfferChoice, OfferView } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { formatBytes, formatContents, plural } from '../state/format.js';
import { isTextOffer } from '../state/notices.js';
import { checkTransferFolder, choiceTotals, choiceTree, chosenPaths, tickAll, toggle, type ChoiceTotals } from '../state/offer-choice.js';
import { currentOffer, entriesNotShown, formatVerificationCode, offerQueue, offerSummary } from '../state/offers.js';
import { platformName } from '../state/peers.js';
import { Icon } from '../ui/Icon.js';
import { LocalSendTag } from '../ui/LocalSendTag.js';
import { Modal } from '../ui/Modal.js';
import { PlatformIcon } from '../ui/PlatformIcon.js';
import { OfferChoices } from './OfferChoices.js';
import { SaveTo } from './SaveTo.js';

type Answer = 'accept' | 'decline' | 'always';

/** What is ticked, said with the whole: "12 of 15 files", "30.2 MB of 47.3 MB". */
function Summary({ offer, totals }: { offer: OfferView; totals: ChoiceTotals }) {
  if (totals.all) {
    return (
      <span>
        <strong>{plural(offer.fileCount, 'file')}</strong>
        {offer.dirCount > 0 && <> in {plural(offer.dirCount, 'folder')}</>}
        <span className="offer-size"> · {formatBytes(offer.totalBytes)}</span>
      </span>
    );
  }
  if (!totals.anything) {
    return (
      <span>
        <strong>Nothing ticked</strong> of {formatContents(offer.fileCount, offer.dirCount)}
        <span className="offer-size"> · {formatBytes(offer.totalBytes)}</span>
      </span>
    );
  }
  const more = totals.atLeast ? 'At least ' : '';
  return (
    <span>
      <strong>
        {more}
        {totals.files.toLocaleString('en-US')} of {plural(offer.fileCount, 'file')}
      </strong>
      <span className="offer-size">
        {' '}
        · {totals.atLeast ? 'at least ' : ''}
        {formatBytes(totals.bytes)} of {formatBytes(offer.totalBytes)}
      </span>
    </span>
  );
}

function OfferBody({ offer, waiting }: { offer: OfferView; waiting: number }) {
  const bridge = useBridge();
  const run = useRun();
  const { settings, device } = useAppState();
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

  // What to take (files only): all of it to start with.
  const tree = useMemo(() => choiceTree(offer), [offer]);
  const [ticked, setTicked] = useState<ReadonlySet<number>>(() => tickAll(tree));
  // Boxes where there is something to choose between; a folder to pick for any offer of files.
  const files = text === null && tree.nodes.length > 0;
  const choosing = files && tree.units.length > 1;
  const totals = choiceTotals(tree, ticked, offer);
  const nothing = choosing && !totals.anything;
  // Where to: the download folder unless picked (desktop) or typed (browser) for this transfer.
  const [picked, setPicked] = useState<string | null>(null);
  const [typed, setTyped] = useState<string | null>(null);
  const [folderProblem, setFolderProblem] = useState<string | null>(null);
  const fixedFolder = settings.fixed.includes('downloadDir');
  const nothingId = `offer-nothing-${offer.id}`;
  const folderId = `offer-folder-${offer.id}`;

  const answer = async (a: Answer): Promise<void> => {
    let choice: OfferChoice | null = null;
    if (a !== 'decline' && files) {
      let folder = picked !== null && picked !== settings.downloadDir ? picked : null;
      if (typed !== null) {
        const checked = checkTransferFolder(typed, settings.downloadDir, device.platform);
        if (!checked.ok) {
          setFolderProblem(checked.message);
          document.getElementById(folderId)?.focus();
          return;
        }
        folder = checked.folder;
      }
      const paths = chosenPaths(tree, ticked);
      if (paths !== null && paths.length === 0) return;
      choice = paths === null && folder === null ? null : { paths, folder };
    }
    setPending(a);
    setError(null);
    const r = await run(() => bridge.answerOffer(offer.id, a, choice), { quiet: true });
    // On success the offer leaves the state and this dialog with it (or the next one shows).
    if (!r.ok) {
      setPending(null);
      setError(r.message);
    }
  };

  const pick = async (): Promise<void> => {
    const r = await run(() => bridge.pickFolder(), { prefix: 'Could not open the folder picker' });
    if (r.ok && r.value) setPicked(r.value === settings.downloadDir ? null : r.value);
  };

  const noteId = `offer-note-${offer.id}`;
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
            {/* Said again as boxes are ticked: what accepting now would bring. */}
            <span className="offer-summary-text" aria-live="polite">
              <Summary offer={offer} totals={totals} />
            </span>
            {choosing && (
              <span className="offer-select">
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  disabled={pending !== null}
                  onClick={() => setTicked(tickAll(tree))}
                >
                  Select all
                </button>
                <button type="button" className="btn btn-ghost btn-small" disabled={pending !== null} onClick={() => setTicked(new Set())}>
                  Select none
                </button>
              </span>
            )}
          </div>

          {files ? (
            <OfferChoices
              tree={tree}
              ticked={ticked}
              hidden={hidden}
              label={`Offered: ${offerSummary(offer)}`}
              fixed={!choosing}
              onToggle={(node) => setTicked((t) => toggle(tree, t, node))}
            />
          ) : (
            <ul className="offer-files" aria-label={`Offered: ${offerSummary(offer)}`} tabIndex={0}>
              {hidden > 0 && <li className="offer-more">{plural(hidden, 'item')}, not listed</li>}
            </ul>
          )}
          {choosing && !tree.complete && (
            <p className="offer-choice-note" id={noteId}>
              <Icon name="info" size={15} />
              <span>
                Only the first {plural(offer.entries.length, 'item')} are listed, so you choose among the top-level files and folders shown:
                a ticked folder brings everything in it. With anything unticked, items beyond the list that are not in a ticked folder are
                left out.
              </span>
            </p>
          )}
          {nothing && (
            <p className="offer-choice-note is-warning" id={nothingId}>
              <Icon name="alert" size={15} />
              <span>Nothing is ticked: tick what you want to receive, or decline.</span>
            </p>
          )}
          {files && (
            <SaveTo
              inputId={folderId}
              downloadDir={settings.downloadDir}
              picked={picked}
              typed={typed}
              problem={folderProblem}
              nativePicker={bridge.host.nativePickers}
              fixed={fixedFolder}
              disabled={pending !== null}
              onPick={() => void pick()}
              onType={(t) => {
                setTyped(t);
                setFolderProblem(null);
              }}
              onReset={() => {
                setPicked(null);
                setTyped(null);
                setFolderProblem(null);
              }}
            />
          )}
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
          <button
            type="button"
            className="btn btn-secondary"
            disabled={pending !== null || nothing}
            aria-describedby={nothing ? nothingId : undefined}
            onClick={() => void answer('always')}
          >
            Always accept from this device
          </button>
        )}
        <button
          type="button"
          className={risky ? 'btn btn-secondary' : 'btn btn-primary'}
          disabled={pending !== null || nothing}
          aria-describedby={nothing ? nothingId : undefined}
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
