// "Add a device" by HOST:PORT (a Ferry) or localsend://HOST:PORT (a LocalSend app), for
// networks where discovery cannot see across (VPNs, separate subnets, multicast filtered): the
// form, inline in the empty state, and the dialog the Devices panel opens.

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALSEND_DEFAULT_PORT } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { checkHostPort } from '../state/peers.js';
import { Icon } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';

export function AddPeerForm({ onDone, inputId }: { onDone?: () => void; inputId?: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  // LocalSend's form of address is offered while LocalSend is on (and accepted always: the engine decides).
  const { settings } = useAppState();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ownId = useId();
  const id = inputId ?? ownId;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkHostPort(value);
    if (!checked.ok) {
      setProblem(checked.message);
      return;
    }
    setSaving(true);
    const r = await run(() => bridge.addManualPeer(checked.value), { quiet: true });
    setSaving(false);
    if (r.ok) {
      setValue('');
      setProblem(null);
      onDone?.();
    } else setProblem(r.message);
  };

  return (
    <form className="add-peer" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={id} className="field-label">
        {t('peers.add.label')}
      </label>
      <div className="add-peer-row">
        <input
          id={id}
          className="input mono"
          placeholder={settings.localsend ? t('peers.add.placeholderLocalsend') : '192.168.1.20:33779'}
          value={value}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-help`}
          onChange={(e) => {
            setValue(e.target.value);
            if (problem) setProblem(null);
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={saving}>
          <Icon name="plus" size={16} /> {t('peers.add.add')}
        </button>
        {onDone && (
          <button type="button" className="btn btn-ghost" onClick={onDone}>
            {t('common.actions.cancel')}
          </button>
        )}
      </div>
      <p id={`${id}-help`} className={problem ? 'field-error' : 'field-help'} role={problem ? 'alert' : undefined}>
        {problem ?? (settings.localsend ? t('peers.add.helpLocalsend', { port: LOCALSEND_DEFAULT_PORT }) : t('peers.add.help'))}
      </p>
    </form>
  );
}

export function AddPeerDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const inputId = useId();
  return (
    <Modal labelledBy={titleId} onClose={onClose} className="add-peer-dialog" initialFocus={inputId}>
      <div className="modal-head">
        <span className="modal-icon" aria-hidden="true">
          <Icon name="plus" size={22} />
        </span>
        <div>
          <h2 id={titleId} className="modal-title">
            {t('peers.add.title')}
          </h2>
          <p className="modal-sub">{t('peers.add.sub')}</p>
        </div>
        <button type="button" className="icon-button modal-close" aria-label={t('common.actions.close')} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="modal-body">
        <AddPeerForm inputId={inputId} onDone={onClose} />
      </div>
    </Modal>
  );
}
