// Ferry's layers (scripts/lint-layers.mjs, run by `npm run lint` inside `npm test`): each import
// that breaks them, planted in a file of the tree, is an error naming both ends; each allowed one
// passes. Linted as text, with the layer rule alone, so nothing is written into the tree.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import layers from '../../scripts/lint-layers.mjs';
import { REPO } from '../helpers.js';

const eslint = new ESLint({
  cwd: REPO,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parser: tseslint.parser },
      plugins: { ferry: layers },
      rules: { 'ferry/layers': 'error' },
    },
  ],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  return result!.messages.map((m) => m.message);
}

const REFUSED: Array<[string, string, string, RegExp]> = [
  [
    'the engine imports Electron',
    'main/core/transfer/planted.ts',
    "import { app } from 'electron';",
    /may not import the module "electron"/,
  ],
  ['the app layer imports Electron', 'main/core/app/planted.ts', "import { BrowserWindow } from 'electron';", /electron/],
  [
    'the engine imports a host',
    'main/core/app/planted.ts',
    "import { startDesktop } from '../../hosts/electron/desktop.js';",
    /\(app\) may not import main\/hosts\/electron\/desktop\.ts \(electron-host\)/,
  ],
  [
    'the renderer imports the transfer code',
    'renderer/src/planted.ts',
    "import { sendFiles } from '../../main/core/transfer/sender.js';",
    /\(renderer\) may not import main\/core\/transfer\/sender\.ts \(transfer\)/,
  ],
  [
    'the renderer imports the app facade',
    'renderer/src/state/planted.ts',
    "import type { FerryApp } from '../../../main/core/app/ferry-app.js';",
    /\(renderer\) may not import/,
  ],
  ['the renderer imports Node', 'renderer/src/planted.ts', "import * as fs from 'node:fs';", /may not import the module "node:fs"/],
  [
    'the transfer code imports the app layer above it',
    'main/core/transfer/planted.ts',
    "import { FerryApp } from '../app/ferry-app.js';",
    /\(transfer\) may not import main\/core\/app\/ferry-app\.ts \(app\)/,
  ],
  [
    'the store imports security above it',
    'main/core/store/planted.ts',
    "import { loadIdentity } from '../security/identity.js';",
    /\(store\) may not import/,
  ],
  [
    'the contract imports the engine',
    'main/core/contract/planted.ts',
    "import { FerryError } from '../errors.js';",
    /\(contract\) may not import/,
  ],
  [
    'one host imports another',
    'main/hosts/cli/planted.ts',
    "import { registerIpc } from '../electron/ipc.js';",
    /\(cli-host\) may not import main\/hosts\/electron\/ipc\.ts/,
  ],
  [
    'the preload imports the app',
    'preload/planted.ts',
    "import { FerryApp } from '../main/core/app/ferry-app.js';",
    /\(preload\) may not import/,
  ],
  [
    'a dynamic import goes up',
    'main/core/discovery/planted.ts',
    "export const x = () => import('../app/ferry-app.js');",
    /\(discovery\) may not import/,
  ],
  [
    'a re-export goes up',
    'main/core/protocol/planted.ts',
    "export { FerryApp } from '../app/ferry-app.js';",
    /\(protocol\) may not import/,
  ],
  [
    'the app layer reaches into the transfer code',
    'main/core/app/planted.ts',
    "import { sendFiles } from '../transfer/sender.js';",
    /\(app\) may not import main\/core\/transfer\/sender\.ts \(transfer\)/,
  ],
  [
    'the transfer model imports the transfer code',
    'main/core/model/planted.ts',
    "import { Receiver } from '../transfer/receiver.js';",
    /\(model\) may not import/,
  ],
  ['a file in no layer', 'main/stray/planted.ts', 'export const x = 1;', /is in no layer/],
];

for (const [what, file, code, expected] of REFUSED) {
  test(`lint refuses it when ${what}`, async () => {
    const found = await problems(file, code);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0]!, expected);
  });
}

const ALLOWED: Array<[string, string, string]> = [
  ['the renderer takes the contract', 'renderer/src/planted.ts', "import { formatBytes } from '../../main/core/contract/index.js';"],
  ['the renderer uses React', 'renderer/src/planted.tsx', "import { useState } from 'react';"],
  ["the app layer takes Ferry's transport", 'main/core/app/planted.ts', "import { ferryTransport } from '../transfer/ferry-transport.js';"],
  ['the app layer takes the transfer model', 'main/core/app/planted.ts', "import type { Transport } from '../model/transport.js';"],
  ['the transfer code takes the model', 'main/core/transfer/planted.ts', "import type { IncomingOffer } from '../model/transport.js';"],
  ['a host drives the app', 'main/hosts/cli/planted.ts', "import { FerryApp } from '../../core/app/ferry-app.js';"],
  ['the Electron host uses Electron', 'main/hosts/electron/planted.ts', "import { app } from 'electron';"],
  ['the preload takes the channel names', 'preload/planted.ts', "import { COMMAND_CHANNELS } from '../main/hosts/electron/channels.js';"],
  ['the engine uses Node', 'main/core/transfer/planted.ts', "import * as fs from 'node:fs';"],
  ['security reads the store', 'main/core/security/planted.ts', "import { readIdentityFiles } from '../store/identity-files.js';"],
];

for (const [what, file, code] of ALLOWED) {
  test(`lint allows it when ${what}`, async () => {
    assert.deepEqual(await problems(file, code), []);
  });
}
