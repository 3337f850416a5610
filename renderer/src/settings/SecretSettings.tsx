// Shared-secret mode: only devices that know the same secret can send here (and be sent
// to). The secret never comes back from the engine: a generated one is shown once, to copy.
// Each step replaces the buttons that led to it, so focus is moved along with it.

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge, useNotify, useRun } from '../hooks/app-context.js';
import { errorText } from '../i18n/setup.js';
import { checkSecret } from '../state/settings.js';
import { useFocusRescue } from '../ui/focus.js';
import { Icon } from '../ui/Icon.js';

type Mode = { kind: 'idle' } | { kind: 'generated'; secret: string; copied: boolean } | { kind: 'pasting' } | { kind: 'confirm-off' };

export function SecretSettings({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
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
    const r = await run(() => bridge.generateSecret(), { prefix: t('settings.secret.generateFailed') });
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
        notify('error', t('settings.secret.copyFailed'));
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
      notify('success', t('settings.secret.isOn'));
    } else setProblem(errorText(r));
  };

  const submitPasted = (e: FormEvent): void => {
    e.preventDefault();
    const checked = checkSecret(pasted);
    if (!checked.ok) setProblem(checked.message);
    else void applySecret(checked.value);
  };

  const turnOff = async (): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.setSecret(null), { prefix: t('settings.secret.turnOffFailed') });
    setBusy(false);
    if (r.ok) {
      setMode({ kind: 'idle' });
      notify('success', t('settings.secret.isOff'));
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

  // Which step is open, named before the markup (a comparison inside it reads as words to the catalog test).
  const idle = mode.kind === 'idle';
  const generated = mode.kind === 'generated' ? mode : null;
  const pasting = mode.kind === 'pasting';
  const confirmingOff = mode.kind === 'confirm-off';

  return (
    <div className="secret" ref={root}>
      <div className="setting-row">
        <div className="setting-text">
          <p className="setting-label">
            <Icon name="key" size={16} /> {t('settings.secret.label')}
            <span className={`badge ${enabled ? 'badge-on' : ''}`}>{enabled ? t('settings.secret.on') : t('settings.secret.off')}</span>
          </p>
          <p className="setting-help">{enabled ? t('settings.secret.helpOn') : t('settings.secret.helpOff')}</p>
        </div>
        {idle && (
          <div className="setting-control button-row">
            <button ref={generateRef} type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void generate()}>
              {enabled ? t('settings.secret.generateNew') : t('settings.secret.generate')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => setMode({ kind: 'pasting' })}>
              {enabled ? t('settings.secret.replace') : t('settings.secret.enter')}
            </button>
            {enabled && (
              <button
                type="button"
                className="btn btn-ghost btn-small btn-danger-text"
                disabled={busy}
                onClick={() => setMode({ kind: 'confirm-off' })}
              >
                {t('settings.secret.turnOff')}
              </button>
            )}
          </div>
        )}
      </div>

      {generated && (
        <div className="secret-box" onKeyDown={onKeyDown}>
          <label htmlFor={genId} className="field-label">
            {t('settings.secret.generatedLabel')}
          </label>
          <div className="add-peer-row">
            <input id={genId} ref={secretRef} className="input mono" readOnly value={generated.secret} onFocus={(e) => e.target.select()} />
            <button type="button" className="btn btn-secondary" onClick={() => void copy(generated.secret)}>
              <Icon name={generated.copied ? 'check' : 'copy'} size={16} />{' '}
              {generated.copied ? t('settings.secret.copied') : t('common.actions.copy')}
            </button>
          </div>
          <p className="field-help">{t('settings.secret.generatedHelp')}</p>
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void applySecret(generated.secret)}>
              {t('settings.secret.use')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={cancel}>
              {t('common.actions.cancel')}
            </button>
          </div>
        </div>
      )}

      {pasting && (
        <form className="secret-box" onSubmit={submitPasted} onKeyDown={onKeyDown} noValidate>
          <label htmlFor={pasteId} className="field-label">
            {t('settings.secret.pasteLabel')}
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
              {t('settings.secret.use')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={cancel}>
              {t('common.actions.cancel')}
            </button>
          </div>
        </form>
      )}

      {confirmingOff && (
        <div className="secret-box" role="group" aria-label={t('settings.secret.confirmOff')} onKeyDown={onKeyDown}>
          <p>{t('settings.secret.confirmOffText')}</p>
          <div className="button-row">
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void turnOff()}>
              {t('settings.secret.confirmOff')}
            </button>
            <button ref={keepRef} type="button" className="btn btn-ghost" onClick={cancel}>
              {t('settings.secret.keepOn')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
