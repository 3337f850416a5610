// "Show my address": where others reach this device, for a network where they do not find it by
// themselves. Each address as text (as "Add a device" takes it), the chosen one as a QR code
// beside its text too, and Copy. Ferry's addresses first, then LocalSend's while it listens.

import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState } from '../hooks/app-context.js';
import { ownAddresses, type OwnAddress } from '../state/addresses.js';
import { copyShortcut } from '../state/texts.js';
import { Icon } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';
import { QrCode } from '../ui/QrCode.js';
import { selectText } from '../ui/select-text.js';

const HELP = { ferry: 'app.address.helpFerry', localsend: 'app.address.helpLocalsend' } as const satisfies Record<
  OwnAddress['protocol'],
  string
>;
const BADGE = { ferry: 'app.address.ferry', localsend: 'app.address.localsend' } as const satisfies Record<OwnAddress['protocol'], string>;

export function AddressDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { device } = useAppState();
  const list = ownAddresses(device);
  const [chosenText, setChosenText] = useState<string | null>(list[0]?.text ?? null);
  const chosen = list.find((a) => a.text === chosenText) ?? list[0] ?? null;
  const [copied, setCopied] = useState<{ text: string; ok: boolean } | null>(null);
  const textRef = useRef<HTMLParagraphElement>(null);
  const titleId = useId();
  const name = useId();
  const closeId = useId();
  const copyId = useId();

  const copy = async (text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ text, ok: true });
    } catch {
      // The clipboard refused (no permission, no focus): the address is selected to copy by hand.
      const el = textRef.current;
      if (!el) return;
      selectText(el);
      setCopied({ text, ok: document.execCommand('copy') });
    }
  };

  const copyState = copied && chosen && copied.text === chosen.text ? copied : null;

  return (
    <Modal labelledBy={titleId} onClose={onClose} className="address-dialog" initialFocus={chosen ? copyId : closeId}>
      <div className="modal-head">
        <span className="modal-icon" aria-hidden="true">
          <Icon name="qr" size={22} />
        </span>
        <div>
          <h2 id={titleId} className="modal-title">
            {t('app.address.title')}
          </h2>
          <p className="modal-sub">{t('app.address.sub', { name: device.name })}</p>
        </div>
        <button id={closeId} type="button" className="icon-button modal-close" aria-label={t('common.actions.close')} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="modal-body">
        {!chosen ? (
          <div className="banner banner-warning" role="status">
            <Icon name="alert" />
            <span>
              {device.port === null && device.localsend?.port == null ? t('app.address.notReceiving') : t('app.address.noNetwork')}
            </span>
          </div>
        ) : (
          <>
            <div className="address-show">
              <QrCode value={chosen.text} label={t('app.address.qr', { address: chosen.text })} />
              <div className="address-side">
                <p className="address-text mono" ref={textRef}>
                  {chosen.text}
                </p>
                <p className="field-help">{t(HELP[chosen.protocol])}</p>
                <div className="address-copy">
                  <button id={copyId} type="button" className="btn btn-secondary btn-small" onClick={() => void copy(chosen.text)}>
                    <Icon name={copyState?.ok ? 'check' : 'copy'} size={15} />{' '}
                    {copyState?.ok ? t('app.address.copied') : t('common.actions.copy')}
                    <span className="sr-only"> {chosen.text}</span>
                  </button>
                  <p className={copyState && !copyState.ok ? 'field-error' : 'address-copied'} role="status">
                    {copyState
                      ? copyState.ok
                        ? t('app.address.copiedToClipboard')
                        : t('app.address.copyFailed', { shortcut: copyShortcut(navigator.platform) })
                      : ''}
                  </p>
                </div>
              </div>
            </div>
            {list.length > 1 && (
              <fieldset className="address-choices">
                <legend className="field-label">{t('app.address.choices')}</legend>
                {list.map((a) => {
                  const id = `${name}-${a.text}`;
                  return (
                    <label key={a.text} htmlFor={id} className={`address-option ${a === chosen ? 'is-chosen' : ''}`}>
                      <input
                        id={id}
                        type="radio"
                        name={name}
                        value={a.text}
                        checked={a === chosen}
                        onChange={() => setChosenText(a.text)}
                      />
                      <span className="mono address-option-text">{a.text}</span>
                      <span className={`badge ${a.protocol === 'localsend' ? 'badge-localsend' : ''}`}>{t(BADGE[a.protocol])}</span>
                    </label>
                  );
                })}
              </fieldset>
            )}
          </>
        )}
      </div>
    </Modal>
  );
}
