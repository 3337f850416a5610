// A TCP port setting (Ferry's, LocalSend's): checked as typed, saved on Enter or leaving the
// field, read-only with why when the command line set it.

import type { ReactNode } from 'react';
import { checkPort } from '../state/settings.js';
import { CommitField } from './CommitField.js';

export function PortField({
  label,
  help,
  value,
  fixedNote,
  save,
}: {
  label: string;
  help: ReactNode;
  value: number;
  fixedNote: string | undefined;
  /** Resolves to an error message, or null when saved. */
  save: (port: number) => Promise<string | null>;
}) {
  return (
    <CommitField
      label={label}
      help={help}
      value={String(value)}
      {...(fixedNote !== undefined ? { fixedNote } : {})}
      inputMode="numeric"
      mono
      narrow
      check={(t) => {
        const r = checkPort(t);
        return r.ok ? null : r.message;
      }}
      onCommit={(t) => {
        const r = checkPort(t);
        return r.ok ? save(r.value) : Promise.resolve(r.message);
      }}
    />
  );
}
