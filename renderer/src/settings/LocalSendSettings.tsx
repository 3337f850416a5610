// LocalSend: whether Ferry also speaks it (phones, LocalSend apps), on which port, and the PIN
// LocalSend senders must give. The PIN never comes back from the engine: only whether one is
// set. Like the shared secret, each step replaces the buttons that led to it, so focus moves
// along with it.

import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SettingsPatch } from '../contract.js';
import { LOCALSEND_DEFAULT_PORT } from '../contract.js';
import { useAppState, useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { checkPin, FIXED_NOTE, MAX_PIN_CHARS, MIN_PIN_CHARS } from '../state/settings.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';
import { Switch } from '../ui/Switch.js';
import { PortField } from './PortField.js';

type Patch = SettingsPatch;

function LocalSendPin({ enabled, fixed }: { enabled: boolean; fixed: boolean }) {
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
      notify('success', enabled ? 'The receive PIN is changed' : 'The receive PIN is set');
    } else setProblem(r.message);
  };

  const remove = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const r = await run(() => bridge.setLocalSendPin(null), { prefix: 'Could not remove the PIN' });
    setBusy(false);
    if (r.ok) notify('success', 'The receive PIN is removed');
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
            <Icon name="key" size={16} /> Receive PIN
            <span className={`badge ${enabled ? 'badge-on' : ''}`}>{enabled ? 'Set' : 'None'}</span>
          </p>
          <p className="setting-help">
            {enabled
              ? 'LocalSend senders must type this PIN before they can offer files here. Ferry devices are not asked.'
              : 'Optional: make LocalSend senders type a PIN before they can offer files here.'}
          </p>
          {fixed && <p className="setting-help">{FIXED_NOTE.localsendPin}</p>}
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
              {enabled ? 'Change PIN…' : 'Set a PIN…'}
            </button>
            {enabled && (
              <button
                type="button"
                className="btn btn-ghost btn-small btn-danger-text"
                aria-disabled={busy || undefined}
                onClick={() => void remove()}
              >
                Remove PIN
              </button>
            )}
          </div>
        )}
      </div>

      {editing && (
        <form className="secret-box" onSubmit={(e) => void save(e)} onKeyDown={onKeyDown} noValidate>
          <label htmlFor={id} className="field-label">
            {enabled ? 'New PIN' : 'PIN'} for LocalSend senders
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
            {MIN_PIN_CHARS} to {MAX_PIN_CHARS} characters. Tell it to the people who send to you: it is not shown again.
          </p>
          {problem && (
            <p id={`${id}-problem`} className="field-error" role="alert">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Save PIN
            </button>
            <button type="button" className="btn btn-ghost" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

export function LocalSendSettings({ save }: { save: (patch: Patch) => Promise<string | null> }) {
  const { settings, device } = useAppState();
  const bridge = useBridge();
  const run = useRun();
  const fixed = new Set(settings.fixed);
  const listening = device.localsend?.port ?? null;

  return (
    <section className="panel" aria-labelledby="settings-localsend">
      <h2 id="settings-localsend" className="panel-title">
        LocalSend
      </h2>
      <div className="card settings-card">
        <Switch
          label="Also speak LocalSend (phones and LocalSend apps)"
          description={
            fixed.has('localsend')
              ? FIXED_NOTE.localsend
              : 'Phones and computers with the LocalSend app find this device and exchange files with it. They show no code to compare, and an interrupted transfer starts again from the beginning.'
          }
          checked={settings.localsend}
          disabled={fixed.has('localsend')}
          onChange={(localsend) => void run(() => bridge.updateSettings({ localsend }), { prefix: 'Could not change the setting' })}
        />
        {settings.localsend && (
          <>
            <PortField
              label="LocalSend port"
              help={
                <>
                  The TCP port LocalSend apps connect to; they look for {LOCALSEND_DEFAULT_PORT} first
                  {listening !== null && listening !== settings.localsendPort ? ` (now listening on ${listening})` : ''}. Changing it
                  restarts LocalSend.
                </>
              }
              value={settings.localsendPort}
              fixedNote={fixed.has('localsendPort') ? FIXED_NOTE.localsendPort : undefined}
              save={(localsendPort) => save({ localsendPort })}
            />
            <LocalSendPin enabled={settings.localsendPinEnabled} fixed={fixed.has('localsendPin')} />
            {settings.secretEnabled && (
              <p className="setting-help padded">
                <Icon name="info" size={14} /> The shared secret is on: LocalSend devices cannot prove they know it, so every offer from
                them is turned away.
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
