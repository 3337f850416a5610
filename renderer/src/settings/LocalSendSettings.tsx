// LocalSend: whether Ferry also speaks it (phones, LocalSend apps), on which port, and the PIN
// LocalSend senders must give. The PIN never comes back from the engine: only whether one is
// set. Like the shared secret, each step replaces the buttons that led to it, so focus moves
// along with it.

import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsPatch } from '../contract.js';
import { LOCALSEND_DEFAULT_PORT } from '../contract.js';
import { useAppState, useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { errorText } from '../i18n/setup.js';
import { checkPin, fixedNote, MAX_PIN_CHARS, MIN_PIN_CHARS } from '../state/settings.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { Switch } from '../ui/Switch.js';
import { PortField } from './PortField.js';

type Patch = SettingsPatch;

function LocalSendPin({ enabled, fixed }: { enabled: boolean; fixed: boolean }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const firstRef = useRef<HTMLButtonElement>(null);
  const id = useId();

  // Back from the form (saved or cancelled), or the PIN removed: to the first button of the row.
  useFocusRescue(root, () => firstRef.current);

  const cancel = (): void => {
    setEditing(false);
    setPin('');
    setProblem(null);
  };

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = checkPin(pin);
    if (!checked.ok) {
      setProblem(checked.message);
      return;
    }
    setBusy(true);
    const r = await run(() => bridge.setLocalSendPin(checked.value), { quiet: true });
    setBusy(false);
    if (r.ok) {
      cancel();
      notify('success', enabled ? t('settings.pin.changed') : t('settings.pin.isSet'));
    } else setProblem(errorText(r));
  };

  const remove = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const r = await run(() => bridge.setLocalSendPin(null), { prefix: t('settings.pin.removeFailed') });
    setBusy(false);
    if (r.ok) notify('success', t('settings.pin.removed'));
  };

  // The form is a small inline dialog: Escape backs out of it, like Cancel.
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    cancel();
  };

  return (
    <div className="secret" ref={root}>
      <div className="setting-row">
        <div className="setting-text">
          <p className="setting-label">
            <Icon name="key" size={16} /> {t('settings.pin.label')}
            <span className={`badge ${enabled ? 'badge-on' : ''}`}>{enabled ? t('settings.pin.set') : t('settings.pin.none')}</span>
          </p>
          <p className="setting-help">{enabled ? t('settings.pin.helpOn') : t('settings.pin.helpOff')}</p>
          {fixed && <p className="setting-help">{fixedNote('localsendPin')}</p>}
        </div>
        {/* aria-disabled, not disabled, while busy: a disabled button would drop the focus it holds. */}
        {!editing && !fixed && (
          <div className="setting-control button-row">
            <button
              ref={firstRef}
              type="button"
              className="btn btn-secondary btn-small"
              aria-disabled={busy || undefined}
              onClick={() => !busy && setEditing(true)}
            >
              {enabled ? t('settings.pin.change') : t('settings.pin.setButton')}
            </button>
            {enabled && (
              <button
                type="button"
                className="btn btn-ghost btn-small btn-danger-text"
                aria-disabled={busy || undefined}
                onClick={() => void remove()}
              >
                {t('settings.pin.remove')}
              </button>
            )}
          </div>
        )}
      </div>

      {editing && (
        <form className="secret-box" onSubmit={(e) => void save(e)} onKeyDown={onKeyDown} noValidate>
          <label htmlFor={id} className="field-label">
            {enabled ? t('settings.pin.fieldNew') : t('settings.pin.field')}
          </label>
          <input
            id={id}
            className="input mono"
            type="password"
            autoComplete="off"
            autoFocus
            spellCheck={false}
            maxLength={MAX_PIN_CHARS}
            value={pin}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${id}-help${problem ? ` ${id}-problem` : ''}`}
            onChange={(e) => {
              setPin(e.target.value);
              setProblem(null);
            }}
          />
          <p id={`${id}-help`} className="field-help">
            {t('settings.pin.fieldHelp', { min: MIN_PIN_CHARS, max: MAX_PIN_CHARS })}
          </p>
          {problem && (
            <p id={`${id}-problem`} className="field-error" role="alert">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('settings.pin.save')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={cancel}>
              {t('common.actions.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

export function LocalSendSettings({ save }: { save: (patch: Patch) => Promise<string | null> }) {
  const { t } = useTranslation();
  const { settings, device } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  const fixed = new Set(settings.fixed);
  const listening = device.localsend?.port ?? null;

  return (
    <section className="panel" aria-labelledby="settings-localsend">
      <h2 id="settings-localsend" className="panel-title">
        {t('settings.sections.localsend')}
      </h2>
      <div className="card settings-card">
        <Switch
          label={t('settings.localsend.speak')}
          description={fixed.has('localsend') ? fixedNote('localsend') : t('settings.localsend.speakHelp')}
          checked={settings.localsend}
          disabled={fixed.has('localsend')}
          onChange={(localsend) => void run(() => bridge.updateSettings({ localsend }), { prefix: t('settings.changeFailed') })}
        />
        {settings.localsend && (
          <>
            <PortField
              label={t('settings.localsend.port')}
              help={
                listening !== null && listening !== settings.localsendPort
                  ? t('settings.localsend.portHelpListening', { default: LOCALSEND_DEFAULT_PORT, port: listening })
                  : t('settings.localsend.portHelp', { default: LOCALSEND_DEFAULT_PORT })
              }
              value={settings.localsendPort}
              fixedNote={fixed.has('localsendPort') ? fixedNote('localsendPort') : undefined}
              save={(localsendPort) => save({ localsendPort })}
            />
            <LocalSendPin enabled={settings.localsendPinEnabled} fixed={fixed.has('localsendPin')} />
            {settings.secretEnabled && (
              <p className="setting-help padded">
                <Icon name="info" size={14} /> {t('settings.localsend.secretOn')}
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
