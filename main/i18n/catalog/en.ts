// The English catalog, the source every other language translates: one file per part of Ferry.
// Keys are used whole ('peers.card.sendText'), never built at run time, so that
// tests/unit/i18n.test.ts can tell which are missing or unused.

import { common } from './en/common.js';
import { errors } from './en/errors.js';
import { app } from './en/app.js';
import { peers } from './en/peers.js';
import { offers } from './en/offers.js';
import { transfers } from './en/transfers.js';
import { history } from './en/history.js';
import { texts } from './en/texts.js';
import { settings } from './en/settings.js';
import { discovery } from './en/discovery.js';
import { desktop } from './en/desktop.js';
import { cli } from './en/cli.js';

export const en = {
  common, // shared words, counts, times
  errors, // one sentence per error code
  app, // the window frame: header, address, toasts, first run
  peers, // devices: cards, adding, trust, selecting several
  offers, // the offer dialog and choosing what to receive
  transfers, // the queue: rows, files, PIN
  history, // the history list
  texts, // messages: sending, receiving
  settings, // the settings screen
  discovery, // network troubleshooting
  desktop, // the desktop app: tray, notifications, native dialogs
  cli, // the ferry command's human output
};
