// Where one offer's files go: the download folder unless the person picks another for this
// transfer. The desktop app opens its folder picker; a browser (whose `ferry serve` runs on this
// computer) takes the folder's path typed in. A download folder fixed by the command line
// (`--dir`) is where everything goes: then there is nothing to change here.

import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../ui/Icon.js';

export interface SaveToProps {
  /** The typed folder's field (the dialog focuses it when what is typed will not do). */
  inputId: string;
  downloadDir: string;
  /** The desktop app: a picker chose it (null: the download folder). */
  picked: string | null;
  /** A browser: what is typed (null: not changing it). */
  typed: string | null;
  problem: string | null;
  nativePicker: boolean;
  fixed: boolean;
  disabled: boolean;
  onPick: () => void;
  onType: (text: string | null) => void;
  onReset: () => void;
}

export function SaveTo({
  inputId,
  downloadDir,
  picked,
  typed,
  problem,
  nativePicker,
  fixed,
  disabled,
  onPick,
  onType,
  onReset,
}: SaveToProps) {
  const { t } = useTranslation();
  const own = useId();
  const id = inputId || own;
  const field = useRef<HTMLInputElement>(null);
  const editing = typed !== null;
  const changeRef = useRef<HTMLButtonElement>(null);

  // The field takes focus (its text selected) when it opens.
  useEffect(() => {
    if (editing) field.current?.select();
  }, [editing]);

  if (editing) {
    return (
      <div className="offer-saveto is-editing">
        <label htmlFor={id} className="field-label">
          {t('offers.saveTo.label')}
        </label>
        <div className="offer-saveto-row">
          <input
            ref={field}
            id={id}
            className="input mono"
            value={typed}
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-help ${id}-problem` : `${id}-help`}
            onChange={(e) => onType(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={disabled}
            onClick={() => {
              onReset();
              // Back to the button that opened the field.
              window.setTimeout(() => changeRef.current?.focus(), 0);
            }}
          >
            {t('offers.saveTo.useDownloadFolder')}
          </button>
        </div>
        <p id={`${id}-help`} className="field-help">
          {t('offers.saveTo.help')}
        </p>
        {problem && (
          <p id={`${id}-problem`} className="field-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    );
  }

  const folder = picked ?? downloadDir;
  return (
    <div className="offer-saveto">
      <span className="offer-saveto-label" id={`${id}-label`}>
        {t('offers.saveTo.label')}
      </span>
      <span className="folder-path mono offer-saveto-path" id={`${id}-path`} title={folder}>
        <Icon name="folder" size={16} /> {folder}
      </span>
      {!fixed && (
        <span className="offer-saveto-actions">
          {picked !== null && (
            <button type="button" className="btn btn-ghost btn-small" disabled={disabled} onClick={onReset}>
              {t('offers.saveTo.useDownloadFolder')}
            </button>
          )}
          <button
            ref={changeRef}
            type="button"
            className="btn btn-secondary btn-small"
            aria-describedby={`${id}-label ${id}-path`}
            disabled={disabled}
            onClick={nativePicker ? onPick : () => onType(downloadDir)}
          >
            {t('offers.saveTo.change')}
          </button>
        </span>
      )}
      {problem && (
        <p className="field-error offer-saveto-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
