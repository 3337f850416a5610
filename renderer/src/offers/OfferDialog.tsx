// An incoming offer, one at a time (oldest first): who sends, the code to compare on both
// screens, what is offered, and the three answers. A changed identity is said loudly. A
// LocalSend app shows no code, so none is asked for; one that proves no identity (no
// certificate) can never be trusted, so "Always accept" is not offered for it. A text message
// is offered the same way: how long it is, its words only once accepted (then in Messages).
// Of files, the person can leave out what they do not want (OfferChoices) and send this
// transfer to another folder (SaveTo); the answer names them only when they differ from all of
// it into the download folder.

import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OfferChoice, OfferView } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { formatBytes, formatContents } from '../state/format.js';
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
  const { t } = useTranslation();
  const files = t('common.count.files', { count: offer.fileCount });
  const total = formatBytes(offer.totalBytes);
  if (totals.all) {
    const folders = t('common.count.folders', { count: offer.dirCount });
    return (
      <span>
        {offer.dirCount > 0 ? (
          <Trans i18nKey="offers.ticked.allInFolders" values={{ files, folders }} components={{ strong: <strong /> }} />
        ) : (
          <Trans i18nKey="offers.ticked.all" values={{ files }} components={{ strong: <strong /> }} />
        )}
        <span className="offer-size"> · {total}</span>
      </span>
    );
  }
  if (!totals.anything) {
    return (
      <span>
        <Trans
          i18nKey="offers.ticked.nothing"
          values={{ contents: formatContents(offer.fileCount, offer.dirCount) }}
          components={{ strong: <strong /> }}
        />
        <span className="offer-size"> · {total}</span>
      </span>
    );
  }
  const counts = { n: totals.files, files };
  const bytes = { size: formatBytes(totals.bytes), total };
  return (
    <span>
      <strong>{totals.atLeast ? t('offers.ticked.someAtLeast', counts) : t('offers.ticked.some', counts)}</strong>
      <span className="offer-size"> · {totals.atLeast ? t('offers.ticked.bytesAtLeast', bytes) : t('offers.ticked.bytes', bytes)}</span>
    </span>
  );
}

function OfferBody({ offer, waiting }: { offer: OfferView; waiting: number }) {
  const bridge = useBridge();
  const run = useRun();
  const { t } = useTranslation();
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
  const chars = text ? t('offers.title.characters', { count: text.chars }) : '';
  const name = from.name;

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
    const r = await run(() => bridge.pickFolder(), { prefix: t('offers.couldNotPickFolder') });
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
              <Trans i18nKey="offers.title.text" values={{ name, chars }} components={{ count: <span className="offer-title-count" /> }} />
            ) : (
              t('offers.title.files', { name })
            )}
          </h2>
          <p className="modal-sub">
            <span className="mono">{from.address}</span>
            {platform && <> · {platform}</>}
            {localsend && <LocalSendTag />}
            {from.trusted && (
              <span className="badge badge-trusted">
                <Icon name="shield" size={13} /> {t('offers.trusted')}
              </span>
            )}
          </p>
        </div>
        {waiting > 0 && <span className="badge offer-queue">{t('offers.waiting', { count: waiting })}</span>}
      </div>

      {from.identityChangedFrom && (
        <div className="banner banner-danger" role="alert">
          <Icon name="alert" />
          <div>
            {localsend ? (
              <Trans i18nKey="offers.identityChanged.localsend" values={{ name }} components={{ strong: <strong /> }} />
            ) : (
              <Trans i18nKey="offers.identityChanged.ferry" values={{ name }} components={{ strong: <strong /> }} />
            )}
          </div>
        </div>
      )}

      {!canTrust ? (
        <div className="banner banner-warning offer-unverified" id={descId}>
          <Icon name="alert" />
          <span>
            {text ? (
              <Trans i18nKey="offers.unverified.text" values={{ name }} components={{ strong: <strong /> }} />
            ) : (
              <Trans i18nKey="offers.unverified.files" values={{ name }} components={{ strong: <strong /> }} />
            )}
          </span>
        </div>
      ) : localsend ? (
        <p className="offer-note" id={descId}>
          <Icon name="info" size={16} />
          <span>{text ? t('offers.localsendNote.text', { name }) : t('offers.localsendNote.files', { name })}</span>
        </p>
      ) : (
        <div className="verification" id={descId}>
          <p className="verification-text">{t('offers.checkCode')}</p>
          <p className="verification-code">{formatVerificationCode(from.verificationCode)}</p>
        </div>
      )}

      {text ? (
        <div className="offer-text">
          <span className="offer-text-icon" aria-hidden="true">
            <Icon name="message" size={20} />
          </span>
          <p>
            <Trans i18nKey="offers.textOffer" values={{ chars }} components={{ strong: <strong /> }} />
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
                  {t('offers.selectAll')}
                </button>
                <button type="button" className="btn btn-ghost btn-small" disabled={pending !== null} onClick={() => setTicked(new Set())}>
                  {t('offers.selectNone')}
                </button>
              </span>
            )}
          </div>

          {files ? (
            <OfferChoices
              tree={tree}
              ticked={ticked}
              hidden={hidden}
              label={t('offers.offered', { summary: offerSummary(offer) })}
              fixed={!choosing}
              onToggle={(node) => setTicked((t) => toggle(tree, t, node))}
            />
          ) : (
            <ul className="offer-files" aria-label={t('offers.offered', { summary: offerSummary(offer) })} tabIndex={0}>
              {hidden > 0 && <li className="offer-more">{t('offers.notListed', { count: hidden })}</li>}
            </ul>
          )}
          {choosing && !tree.complete && (
            <p className="offer-choice-note" id={noteId}>
              <Icon name="info" size={15} />
              <span>{t('offers.partlyListed', { count: offer.entries.length })}</span>
            </p>
          )}
          {nothing && (
            <p className="offer-choice-note is-warning" id={nothingId}>
              <Icon name="alert" size={15} />
              <span>{t('offers.nothingTicked')}</span>
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
          {t('common.actions.decline')}
        </button>
        {canTrust && (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={pending !== null || nothing}
            aria-describedby={nothing ? nothingId : undefined}
            onClick={() => void answer('always')}
          >
            {t('offers.alwaysAccept')}
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
          {t('common.actions.accept')}
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
