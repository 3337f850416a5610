// A text setting that saves when the user is done with it (Enter or leaving the field), not
// on every keystroke; Escape puts the saved value back. Problems show under the field.

import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function CommitField({
  label,
  help,
  value,
  onCommit,
  check,
  inputMode,
  mono,
  narrow,
  trailing,
  fixedNote,
}: {
  label: string;
  help?: ReactNode;
  value: string;
  /** Resolves to an error message, or null when saved. */
  onCommit: (text: string) => Promise<string | null>;
  check?: (text: string) => string | null;
  inputMode?: 'numeric' | 'text';
  mono?: boolean;
  /** A short value (a port): a short field. */
  narrow?: boolean;
  trailing?: ReactNode;
  /** Set where this UI cannot change it (a command-line option): shown read-only, with why. */
  fixedNote?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  // A change from elsewhere (the header rename, another window) shows unless one is being typed.
  const [lastValue, setLastValue] = useState(value);
  if (value !== lastValue) {
    setLastValue(value);
    if (draft === lastValue) setDraft(value);
  }

  useEffect(() => {
    if (!saved) return;
    const timer = window.setTimeout(() => setSaved(false), 2000);
    return () => window.clearTimeout(timer);
  }, [saved]);

  const commit = async (): Promise<void> => {
    if (draft === value || saving) return;
    const bad = check?.(draft) ?? null;
    if (bad) {
      setProblem(bad);
      return;
    }
    setSaving(true);
    const err = await onCommit(draft);
    setSaving(false);
    setProblem(err);
    if (!err) setSaved(true);
  };

  return (
    <div className="setting-row setting-field">
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {label}
        </label>
        {(help || fixedNote) && (
          <p className="setting-help" id={`${id}-help`}>
            {fixedNote ?? help}
          </p>
        )}
      </div>
      <div className="setting-control">
        <div className="field-with-status">
          <input
            id={id}
            className={['input', mono ? 'mono' : '', narrow ? 'input-narrow' : ''].filter(Boolean).join(' ')}
            value={draft}
            inputMode={inputMode}
            spellCheck={false}
            disabled={saving}
            readOnly={fixedNote !== undefined}
            aria-invalid={problem ? true : undefined}
            aria-describedby={
              [help || fixedNote ? `${id}-help` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined
            }
            onChange={(e) => {
              setDraft(e.target.value);
              setProblem(null);
            }}
            onBlur={() => void commit()}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void commit();
              } else if (e.key === 'Escape') {
                setDraft(value);
                setProblem(null);
              }
            }}
          />
          {trailing}
        </div>
        <p className="save-status" role="status">
          {saving ? t('settings.field.saving') : saved ? t('settings.field.saved') : ''}
        </p>
        {problem && (
          <p id={`${id}-problem`} className="field-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    </div>
  );
}
