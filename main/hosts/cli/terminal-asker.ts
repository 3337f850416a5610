// How `ferry receive --accept ask` puts an offer to the person at the terminal: the files, the
// verification code (the sender sees the same), an identity-change warning when there is one,
// and a yes / no / always prompt. One offer at a time; no terminal means no.

import * as readline from 'node:readline/promises';
import type { AskResult, OfferAsker } from '../../core/app/offer-policy.js';
import { printable } from '../../core/protocol/wire-path.js';
import { formatBytes } from './format.js';
import type { Output } from './output.js';

export function terminalAsker(out: Output): OfferAsker {
  let queue = Promise.resolve();
  return (offer, signal) => {
    const ask = async (): Promise<AskResult> => {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        return { answer: 'decline', message: 'the receiver has no terminal to ask on (run it with --accept all)' };
      }
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        const list = offer.entries
          .slice(0, 10)
          .map((e) => `    ${printable(e.path)}`)
          .join('\n');
        const more = offer.entries.length > 10 ? `\n    … and ${offer.entries.length - 10} more` : '';
        out.info(`${list}${more}`);
        if (offer.peer.identityChangedFrom) {
          out.info(
            `WARNING: "${offer.peer.deviceName}" is not the device you trust under that name: its identity changed ` +
              `(trusted ${offer.peer.identityChangedFrom.slice(0, 16)}…, now ${offer.peer.deviceId.slice(0, 16)}…). ` +
              'If it was not reinstalled, this may be an impostor.',
          );
        }
        out.info(`Verification code ${offer.peer.verificationCode} (the sender sees the same code if nobody is in between)`);
        let answer: string;
        try {
          answer = await rl.question(
            `Accept ${offer.fileCount} file(s), ${formatBytes(offer.totalBytes)}, from ${offer.peer.deviceName} (${offer.peer.address})? [y]es / [N]o / [a]lways from this device `,
            { signal },
          );
        } catch {
          // Ctrl+C at the prompt (readline swallows the signal) means no, and stop.
          if (!signal.aborted) setImmediate(() => process.emit('SIGINT'));
          return { answer: 'decline' };
        }
        if (/^a(lways)?$/i.test(answer.trim())) {
          out.info(`Trusted ${offer.peer.deviceName}: its offers are accepted without asking from now on`);
          return { answer: 'always' };
        }
        return /^y(es)?$/i.test(answer.trim()) ? { answer: 'accept' } : { answer: 'decline' };
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
