// The Simplified Chinese catalog: the English one's shape exactly (a compile error otherwise),
// with Chinese's single plural form.

import type { Translation } from './types.js';
import type { en } from './en.js';
import { common } from './zh-CN/common.js';
import { errors } from './zh-CN/errors.js';
import { app } from './zh-CN/app.js';
import { peers } from './zh-CN/peers.js';
import { offers } from './zh-CN/offers.js';
import { transfers } from './zh-CN/transfers.js';
import { history } from './zh-CN/history.js';
import { texts } from './zh-CN/texts.js';
import { settings } from './zh-CN/settings.js';
import { discovery } from './zh-CN/discovery.js';
import { desktop } from './zh-CN/desktop.js';
import { cli } from './zh-CN/cli.js';

export const zhCN: Translation<typeof en> = {
  common,
  errors,
  app,
  peers,
  offers,
  transfers,
  history,
  texts,
  settings,
  discovery,
  desktop,
  cli,
};
