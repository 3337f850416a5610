// How `ferry receive --accept ask` puts an offer to the person at the terminal: the files, the
// verification code (the sender sees the same), an identity-change warning when there is one,
// and a yes / no / always prompt. One offer at a time; no terminal means no. And how `ferry
// send` asks for the PIN a LocalSend receiver wants.

import * as readline from 'node:readline/promises';
import type { AskResult, OfferAsker } from '../../core/app/offer-policy.js';
import type { IncomingOffer } from '../../core/model/transport.js';
import { printable } from '../../core/protocol/wire-path.js';
import { english, fmt, t } from './i18n.js';
import type { Output } from './output.js';

/** What the prompt got: an answer, the end of input (Ctrl+D), Ctrl+C, or the offer withdrawn. */
type Reply = { kind: 'answer'; text: string } | { kind: 'eof' } | { kind: 'interrupt' } | { kind: 'withdrawn' };

/**
 * What a typed answer means; null when it means nothing, and the question is asked again. The
 * letters are the same in every language (y, n, a, c); the words too, and the CLI's language's
 * own words for them (是, 否 …) besides.
 */
function meaning(text: string, canTrust: boolean, canChoose: boolean): AskResult['answer'] | 'choose' | null {
  const a = text.trim().toLowerCase();
  const said = (letter: string, word: string, local: string): boolean =>
    a === letter || a === word || (!english && local.split('|').includes(a));
  if (a === '' || said('n', 'no', t('cli.ask.wordsNo'))) return 'decline'; // Enter alone: the default, No
  if (said('y', 'yes', t('cli.ask.wordsYes'))) return 'accept';
  if (canTrust && said('a', 'always', t('cli.ask.wordsAlways'))) return 'always';
  if (canChoose && said('c', 'choose', t('cli.ask.wordsChoose'))) return 'choose';
  return null;
}

/** The offer's top-level entries, in order: what `c` lets the person pick from. */
export function topLevel(offer: Pick<IncomingOffer, 'entries'>): string[] {
  const seen = new Set<string>();
  for (const e of offer.entries) {
    const slash = e.path.indexOf('/');
    seen.add(slash < 0 ? e.path : e.path.slice(0, slash));
  }
  return [...seen];
}

/**
 * "1 3-5" → those items (0-based indices) of `count`; an empty answer is all of them; null when
 * the answer is not such a list (the question is asked again).
 */
export function parsePicks(text: string, count: number): number[] | null {
  const t = text.trim();
  if (t === '') return Array.from({ length: count }, (_, i) => i);
  const out = new Set<number>();
  for (const part of t.split(/[\s,]+/)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > count || from > to) return null;
    for (let i = from; i <= to; i++) out.add(i - 1);
  }
  return [...out].sort((a, b) => a - b);
}

/** At most this many top-level entries are numbered for `c`; an offer with more is taken whole or not at all. */
const MAX_CHOICES = 100;

export function terminalAsker(out: Output): OfferAsker {
  let queue = Promise.resolve();
  return (offer, signal) => {
    const ask = async (): Promise<AskResult> => {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        // Told to the sender, whose language this side does not know: in English, as the engine
        // speaks. What to do about it is for this side's operator, told when it started.
        return { answer: 'decline', message: 'the receiver has no terminal to ask on' };
      }
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        describeOffer(out, offer);
        const name = printable(offer.peer.deviceName);
        // A LocalSend app without a certificate has an id nothing proves: it is never trusted.
        const canTrust = offer.peer.verified;
        const items = offer.text === null ? topLevel(offer) : [];
        const canChoose = items.length > 1 && items.length <= MAX_CHOICES;
        const choices = [
          t('cli.ask.choiceYes'),
          t('cli.ask.choiceNo'),
          ...(canTrust ? [t('cli.ask.choiceAlways')] : []),
          ...(canChoose ? [t('cli.ask.choiceChoose')] : []),
        ].join(' / ');
        const what =
          offer.text !== null
            ? t('cli.ask.aMessage', { chars: [...offer.text].length })
            : t('cli.event.filesAndSize', {
                files: t('common.count.files', { count: offer.fileCount }),
                size: fmt.bytes(offer.totalBytes),
              });
        let prompt = t('cli.ask.accept', { what, name, address: offer.peer.address, choices });
        for (;;) {
          const reply = await question(rl, prompt, signal);
          if (reply.kind === 'interrupt') {
            // Ctrl+C at the prompt (readline takes the keystroke from the terminal) means no, and stop.
            setImmediate(() => process.emit('SIGINT'));
            return { answer: 'decline' };
          }
          if (reply.kind === 'withdrawn') return { answer: 'decline' };
          // Told to the sender: in English, as the engine speaks.
          if (reply.kind === 'eof') return { answer: 'decline', message: "nobody answered at the receiver's terminal" };
          const answer = meaning(reply.text, canTrust, canChoose);
          if (answer === 'choose') {
            const picked = await choose(rl, out, items, signal);
            if (picked === null) return { answer: 'decline' };
            return { answer: 'accept', paths: picked };
          }
          if (answer === 'always') out.info(t('cli.ask.trusted', { name }));
          if (answer !== null) return { answer };
          const answers = [
            t('cli.ask.answerYes'),
            t('cli.ask.answerNo'),
            ...(canTrust ? [t('cli.ask.answerAlways')] : []),
            ...(canChoose ? [t('cli.ask.answerChoose')] : []),
          ];
          prompt = t('cli.ask.again', { list: answers.slice(0, -1).join(t('cli.send.listSeparator')), last: answers.at(-1) });
        }
      } finally {
        rl.close();
      }
    };
    const result = queue.then(ask);
    queue = result.then(
      () => {},
      () => {},
    );
    return result;
  };
}

/** Lists the items numbered and reads which to take; null when the person gives up (end of input, Ctrl+C, the offer withdrawn). */
async function choose(rl: readline.Interface, out: Output, items: string[], signal: AbortSignal): Promise<string[] | null> {
  out.info(items.map((p, i) => `  ${String(i + 1).padStart(3)}  ${printable(p)}`).join('\n'));
  let prompt = t('cli.ask.takeWhich');
  for (;;) {
    const reply = await question(rl, prompt, signal);
    if (reply.kind === 'interrupt') setImmediate(() => process.emit('SIGINT'));
    if (reply.kind !== 'answer') return null;
    const picks = parsePicks(reply.text, items.length);
    if (picks !== null && picks.length > 0) return picks.map((i) => items[i]!);
    prompt = t('cli.ask.takeWhichAgain', { max: items.length });
  }
}

function describeOffer(out: Output, offer: IncomingOffer): void {
  const list = offer.entries
    .slice(0, 10)
    .map((e) => `    ${printable(e.path)}`)
    .join('\n');
  const more = offer.entries.length > 10 ? `\n${t('cli.ask.andMore', { n: offer.entries.length - 10 })}` : '';
  if (list) out.info(`${list}${more}`);
  if (offer.peer.identityChangedFrom) {
    out.info(
      t('cli.ask.identityChanged', {
        name: printable(offer.peer.deviceName),
        was: offer.peer.identityChangedFrom.slice(0, 16),
        now: offer.peer.deviceId.slice(0, 16),
      }),
    );
  }
  if (offer.peer.protocol === 'localsend') {
    out.info(offer.peer.verified ? t('cli.ask.localsendApp') : t('cli.ask.localsendUnproven'));
  } else {
    out.info(t('cli.ask.verificationCode', { code: offer.peer.verificationCode }));
  }
}

/**
 * `ferry send`'s PIN prompt for a LocalSend receiver that asks for one; null (give up) when
 * there is no terminal to ask on, at the end of input, or on Ctrl+C.
 */
export function terminalPinAsker(out: Output): (state: 'required' | 'wrong', signal: AbortSignal) => Promise<string | null> {
  return async (state, signal) => {
    if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      if (state === 'wrong') out.info(t('cli.ask.pinRefused'));
      const reply = await question(rl, t('cli.ask.pin'), signal);
      if (reply.kind === 'interrupt') setImmediate(() => process.emit('SIGINT'));
      if (reply.kind !== 'answer') return null;
      const pin = reply.text.trim();
      return pin === '' ? null : pin;
    } finally {
      rl.close();
    }
  };
}

/**
 * One question. Node rejects a pending question when the input closes in some versions and
 * leaves it pending in others, so the end of input and Ctrl+C are watched here, the same on each.
 */
function question(rl: readline.Interface, prompt: string, signal: AbortSignal): Promise<Reply> {
  return new Promise<Reply>((resolve) => {
    let settled = false;
    const settle = (reply: Reply): void => {
      if (settled) return;
      settled = true;
      rl.off('close', onClose);
      rl.off('SIGINT', onInterrupt);
      resolve(reply);
    };
    const ended = (): Reply => (signal.aborted ? { kind: 'withdrawn' } : { kind: 'eof' });
    const onClose = (): void => settle(ended());
    // A listener keeps readline from closing on Ctrl+C, which would read as the end of input.
    const onInterrupt = (): void => settle({ kind: 'interrupt' });
    rl.on('close', onClose);
    rl.on('SIGINT', onInterrupt);
    rl.question(prompt, { signal }).then(
      (text) => settle({ kind: 'answer', text }),
      () => settle(ended()),
    );
  });
}
