// Shared-secret mode: only devices that know the same secret can send here (and be sent
// to). The secret never comes back from the engine: a generated one is shown once, to copy.
// Each step replaces the buttons that led to it, so focus is moved along with it.

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { checkSecret } from '../state/settings.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';

type Mode = { kind: 'idle' } | { kind: 'generated'; secret: string; copied: boolean } | { kind: 'pasting' } | { kind: 'confirm-off' };

export function SecretSettings({ enabled }: { enabled: boolean }) {
  const bridge = useBridge();
  const run = useRun();
  const notify = useNotify();
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const secretRef = useRef<HTMLInputElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const generateRef = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const pasteId = useId();
  const genId = useId();

  // Into the step just opened: the new secret (selected, ready to copy), or the safe answer of
  // the turn-off question. (Pasting focuses its field itself.)
  useEffect(() => {
    if (mode.kind === 'generated') secretRef.current?.focus();
    else if (mode.kind === 'confirm-off') keepRef.current?.focus();
  }, [mode.kind]);
  // Back from a step (used, cancelled, turned off): to the first button of the idle row.
  useFocusRescue(root, () => generateRef.current);

  const generate = async (): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.generateSecret(), { prefix: 'Could not generate a secret' });
    setBusy(false);
    if (r.ok) setMode({ kind: 'generated', secret: r.value, copied: false });
  };

  const copy = async (secret: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      // Clipboard API refused (no focus, no permission): fall back to a selection copy.
      secretRef.current?.select();
      if (!document.execCommand('copy')) {
        notify('error', 'Could not copy: select the secret and copy it yourself');
        return;
      }
    }
    setMode({ kind: 'generated', secret, copied: true });
  };

  const applySecret = async (secret: string): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.setSecret(secret), { quiet: true });
    setBusy(false);
    if (r.ok) {
      setMode({ kind: 'idle' });
      setPasted('');
      setProblem(null);
      notify('success', 'Shared secret is on');
    } else setProblem(r.message);
  };

  const submitPasted = (e: FormEvent): void => {
    e.preventDefault();
    const checked = checkSecret(pasted);
    if (!checked.ok) setProblem(checked.message);
    else void applySecret(checked.value);
  };

  const turnOff = async (): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.setSecret(null), { prefix: 'Could not turn the shared secret off' });
    setBusy(false);
    if (r.ok) {
      setMode({ kind: 'idle' });
      notify('success', 'Shared secret is off');
    }
  };

  const cancel = (): void => {
    setMode({ kind: 'idle' });
    setPasted('');
    setProblem(null);
  };
  // Each step's box is a small inline dialog: Escape backs out of it, like Cancel.
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
            <Icon name="key" size={16} /> Shared secret
            <span className={`badge ${enabled ? 'badge-on' : ''}`}>{enabled ? 'On' : 'Off'}</span>
          </p>
          <p className="setting-help">
            {enabled
              ? 'Only devices set up with the same secret can exchange files with this one.'
              : 'Optional: require a secret that only your own devices know, on top of the verification code.'}
          </p>
        </div>
        {mode.kind === 'idle' && (
          <div className="setting-control button-row">
            <button ref={generateRef} type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void generate()}>
              {enabled ? 'Generate a new one' : 'Generate a secret'}
            </button>
            <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => setMode({ kind: 'pasting' })}>
              {enabled ? 'Replace with another…' : 'Enter a secret…'}
            </button>
            {enabled && (
              <button
                type="button"
                className="btn btn-ghost btn-small btn-danger-text"
                disabled={busy}
                onClick={() => setMode({ kind: 'confirm-off' })}
              >
                Turn off
              </button>
            )}
          </div>
        )}
      </div>

      {mode.kind === 'generated' && (
        <div className="secret-box" onKeyDown={onKeyDown}>
          <label htmlFor={genId} className="field-label">
            Your new secret (shown only now)
          </label>
          <div className="add-peer-row">
            <input id={genId} ref={secretRef} className="input mono" readOnly value={mode.secret} onFocus={(e) => e.target.select()} />
            <button type="button" className="btn btn-secondary" onClick={() => void copy(mode.secret)}>
              <Icon name={mode.copied ? 'check' : 'copy'} size={16} /> {mode.copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <p className="field-help">
            Enter the same secret on every device that should reach this one (Settings → Shared secret → Enter a secret).
          </p>
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void applySecret(mode.secret)}>
              Use this secret
            </button>
            <button type="button" className="btn btn-ghost" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {mode.kind === 'pasting' && (
        <form className="secret-box" onSubmit={submitPasted} onKeyDown={onKeyDown} noValidate>
          <label htmlFor={pasteId} className="field-label">
            The secret from your other device
          </label>
          <input
            id={pasteId}
            className="input mono"
            type="password"
            autoComplete="off"
            autoFocus
            value={pasted}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => {
              setPasted(e.target.value);
              setProblem(null);
            }}
          />
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Use this secret
            </button>
            <button type="button" className="btn btn-ghost" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {mode.kind === 'confirm-off' && (
        <div className="secret-box" role="group" aria-label="Turn off the shared secret" onKeyDown={onKeyDown}>
          <p>Devices without the secret will be able to offer files again (you are still asked first).</p>
          <div className="button-row">
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void turnOff()}>
              Turn off the shared secret
            </button>
            <button ref={keepRef} type="button" className="btn btn-ghost" onClick={cancel}>
              Keep it on
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
