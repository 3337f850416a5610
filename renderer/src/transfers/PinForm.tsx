// A send to a LocalSend device that asks for a PIN: the PIN its person set, typed here by the
// sender's person (answerPin), or giving up the send. The field takes focus when it appears,
// unless the person is typing somewhere else, and again when a PIN was refused.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TransferView } from '../contract.js';
import { useBridge, useRun } from '../hooks/app-context.js';
import { MAX_PIN_CHARS } from '../state/settings.js';
import { pinPrompt } from '../state/transfers.js';
import { Icon } from '../ui/Icon.js';

/** Whether the person is typing in another field (focus there is theirs, not ours to take). */
function typingElsewhere(mine: HTMLElement): boolean {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === mine || active === document.body) return false;
  return active.matches('input:not([type="checkbox"]):not([type="radio"]), textarea, select, [contenteditable="true"]');
}

export function PinForm({ transfer: t }: { transfer: TransferView }) {
  const bridge = useBridge();
  const run = useRun();
  const { t: tr } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'send' | 'give-up' | null>(null);
  const prompt = pinPrompt(t);
  const name = t.peer.name;
  const wrong = prompt?.wrong ?? false;
  const sending = busy === 'send';

  // On appearing, and when the answer was "wrong": into the (empty) field.
  useEffect(() => {
    const el = input.current;
    if (el && !typingElsewhere(el)) el.focus();
  }, [wrong]);

  if (!prompt) return null;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (pin === '') {
      setProblem(tr('transfers.pin.typeIt', { name }));
      input.current?.focus();
      return;
    }
    setBusy('send');
    setProblem(null);
    const r = await run(() => bridge.answerPin(t.id, pin), { quiet: true });
    setBusy(null);
    // Tried: a refused PIN comes back as 'wrong', to be typed again from scratch, in the field.
    setPin('');
    if (!r.ok) setProblem(r.message);
    if (form.current?.contains(document.activeElement)) input.current?.focus();
  };

  const giveUp = async (): Promise<void> => {
    if (busy) return;
    setBusy('give-up');
    setProblem(null);
    const r = await run(() => bridge.answerPin(t.id, null), { quiet: true });
    setBusy(null);
    if (!r.ok) setProblem(r.message);
  };

  const msgId = `${id}-msg`;
  const problemId = `${id}-problem`;
  return (
    <form ref={form} className={`pin-form ${wrong ? 'is-wrong' : ''}`} onSubmit={(e) => void submit(e)} noValidate>
      {/* A refusal is news; the first request is read with the field (its description). */}
      <p className="pin-title" id={msgId} role={wrong ? 'alert' : undefined}>
        <Icon name={wrong ? 'alert' : 'key'} size={15} />
        {prompt.message}
      </p>
      <div className="pin-row">
        <label htmlFor={id} className="pin-label">
          <Trans i18nKey="transfers.pin.label" values={{ name }} components={{ sr: <span className="sr-only" /> }} />
        </label>
        <input
          ref={input}
          id={id}
          type="password"
          className="input mono pin-input"
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_PIN_CHARS}
          value={pin}
          readOnly={busy !== null}
          aria-invalid={wrong || problem ? true : undefined}
          aria-describedby={problem ? `${msgId} ${problemId}` : msgId}
          onChange={(e) => {
            setPin(e.target.value);
            setProblem(null);
          }}
        />
        {/* aria-disabled, not disabled, while busy: a disabled button would drop the focus it holds. */}
        <button type="submit" className="btn btn-primary btn-small" aria-disabled={busy !== null || undefined}>
          {sending && <span className="spinner" aria-hidden="true" />}
          <Trans i18nKey="transfers.pin.send" values={{ name }} components={{ sr: <span className="sr-only" /> }} />
        </button>
        <button type="button" className="btn btn-ghost btn-small" aria-disabled={busy !== null || undefined} onClick={() => void giveUp()}>
          <Trans i18nKey="transfers.pin.giveUp" values={{ name }} components={{ sr: <span className="sr-only" /> }} />
        </button>
      </div>
      {problem && (
        <p id={problemId} className="field-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
