// Ferry's layers as an ESLint rule: which part of the tree may import which. docs/ARCHITECTURE.md
// explains the layers; this file is where they are enforced (`npm run lint`, inside `npm test`).
// Every import, export-from and dynamic import with a literal path is resolved to a file of the
// repository and checked against LAYERS; bare module names against PACKAGES.

import * as path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..');

/**
 * From the bottom up. A file belongs to the first layer whose prefix its repository path has; it
 * may import its own layer and those listed in `uses` (never one above it, never a sibling it
 * does not list). `uses` names layers, so that the list reads as the architecture.
 */
export const LAYERS = [
  // What every side shares: Node-free, imported by the renderer and the preload too.
  {
    name: 'contract',
    paths: ['main/core/contract/'],
    uses: [],
  },
  // Ferry's words in its languages (the catalogs) and the formatting of numbers and dates:
  // Node-free, for the renderer and every host.
  { name: 'i18n', paths: ['main/i18n/'], uses: ['contract'] },
  // The rest of main/core/ that is in no folder below: errors, the version, debug logging, making folders.
  { name: 'core-base', paths: ['main/core/'], uses: ['contract'] },
  { name: 'protocol', paths: ['main/core/protocol/'], uses: ['contract', 'core-base'] },
  { name: 'store', paths: ['main/core/store/'], uses: ['contract', 'core-base', 'protocol'] },
  { name: 'security', paths: ['main/core/security/'], uses: ['contract', 'core-base', 'protocol', 'store'] },
  // What the app layer knows of a transfer, whichever wire protocol carries it: the Transport
  // interface, the offer and decision shapes, the events a transfer reports.
  { name: 'model', paths: ['main/core/model/'], uses: ['contract', 'core-base', 'protocol', 'store', 'security'] },
  { name: 'transfer', paths: ['main/core/transfer/'], uses: ['contract', 'core-base', 'protocol', 'store', 'security', 'model'] },
  // Ferry's own protocol as a Transport: the one door from the app layer into transfer/.
  {
    name: 'ferry-transport',
    paths: ['main/core/transfer/ferry-transport.ts'],
    uses: ['contract', 'core-base', 'protocol', 'store', 'security', 'model', 'transfer'],
  },
  // LocalSend's protocol (v2, docs/LOCALSEND.md) as a second Transport: its HTTPS server and
  // client, its multicast discovery. It writes received files with transfer/'s disk moves and
  // listens with discovery/'s sockets and rate limits.
  { name: 'discovery', paths: ['main/core/discovery/'], uses: ['contract', 'core-base', 'protocol', 'store'] },
  {
    name: 'localsend',
    paths: ['main/core/localsend/'],
    uses: ['contract', 'core-base', 'protocol', 'store', 'security', 'model', 'transfer', 'discovery'],
  },
  // LocalSend as a Transport, and its discovery for the app's device list: the one door from
  // the app layer into localsend/.
  {
    name: 'localsend-transport',
    paths: ['main/core/localsend/transport.ts'],
    uses: ['contract', 'core-base', 'protocol', 'store', 'security', 'model', 'transfer', 'localsend'],
  },
  // The app layer sees transfers only through model/ and a Transport: it never reaches into transfer/.
  {
    name: 'app',
    paths: ['main/core/app/'],
    uses: ['contract', 'core-base', 'protocol', 'store', 'security', 'model', 'discovery', 'ferry-transport', 'localsend-transport'],
  },
  // Hosts: each drives the app; none reaches into another.
  // What both UI hosts share (the content types of the renderer's files).
  { name: 'hosts-shared', paths: ['main/hosts/ui-files.ts'], uses: [] },
  {
    name: 'electron-host',
    paths: ['main/hosts/electron/'],
    uses: [
      'i18n',
      'contract',
      'core-base',
      'protocol',
      'store',
      'security',
      'model',
      'transfer',
      'ferry-transport',
      'discovery',
      'app',
      'hosts-shared',
      'preload-channels',
    ],
  },
  // `ferry serve` is a command of the CLI that starts the web host.
  {
    name: 'web-host',
    paths: ['main/hosts/web/'],
    uses: [
      'i18n',
      'contract',
      'core-base',
      'protocol',
      'store',
      'security',
      'model',
      'transfer',
      'ferry-transport',
      'discovery',
      'app',
      'hosts-shared',
    ],
  },
  {
    name: 'cli-host',
    paths: ['main/hosts/cli/'],
    uses: [
      'i18n',
      'contract',
      'core-base',
      'protocol',
      'store',
      'security',
      'model',
      'transfer',
      'ferry-transport',
      'discovery',
      'app',
      'web-host',
    ],
  },
  // The preload carries the contract into the window: the channel names and the call tables.
  { name: 'preload', paths: ['preload/'], uses: ['contract', 'preload-channels'] },
  { name: 'preload-channels', paths: ['main/hosts/electron/channels.ts'], uses: ['contract'] },
  // The UI knows the contract and the words, nothing else of the engine.
  { name: 'renderer', paths: ['renderer/'], uses: ['contract', 'i18n'] },
];

/** Bare module names per layer: allowed ones (a prefix ending in '*' matches many), or all. */
const PACKAGES = {
  contract: [],
  i18n: ['i18next'],
  'core-base': ['node:*'],
  protocol: ['node:*'],
  store: ['node:*'],
  security: ['node:*', 'reflect-metadata', '@peculiar/x509'],
  model: [],
  transfer: ['node:*'],
  'ferry-transport': ['node:*'],
  localsend: ['node:*'],
  discovery: ['node:*'],
  app: ['node:*'],
  'electron-host': ['node:*', 'electron'],
  'hosts-shared': [],
  'web-host': ['node:*', 'ws'],
  'cli-host': ['node:*'],
  preload: ['electron'],
  'preload-channels': [],
  renderer: ['react', 'react/*', 'react-dom', 'react-dom/*', 'uqr', 'i18next', 'react-i18next'],
};

// A file listed by name in a layer wins over a folder prefix of another (main/hosts/electron/channels.ts).
const BY_PATH = LAYERS.flatMap((l) => l.paths.map((p) => ({ p, layer: l }))).sort((a, b) => b.p.length - a.p.length);

export function layerOf(repoPath) {
  return BY_PATH.find(({ p }) => (p.endsWith('/') ? repoPath.startsWith(p) : repoPath === p))?.layer ?? null;
}

function packageAllowed(layer, spec) {
  const allowed = PACKAGES[layer.name] ?? [];
  return allowed.some((a) => (a.endsWith('*') ? spec.startsWith(a.slice(0, -1)) : spec === a || spec.startsWith(`${a}/`)));
}

/** The repository path an import names ('.js' in a TypeScript import means the '.ts' beside it). */
function resolveImport(fromFile, spec) {
  const abs = path.resolve(path.dirname(fromFile), spec);
  const rel = path.relative(REPO, abs).split(path.sep).join('/');
  return rel.replace(/\.js$/, '.ts');
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: "Imports follow Ferry's layers (docs/ARCHITECTURE.md)" },
    schema: [],
    messages: {
      upward: '{{from}} ({{fromLayer}}) may not import {{to}} ({{toLayer}}): {{fromLayer}} uses only {{uses}}',
      package: '{{from}} ({{fromLayer}}) may not import the module "{{spec}}"',
      outside: '{{from}} imports {{to}}, which is in no layer of scripts/lint-layers.mjs',
      nolayer: '{{from}} is in no layer of scripts/lint-layers.mjs: add its folder there',
    },
  },
  create(context) {
    const file = context.filename;
    const from = path.relative(REPO, file).split(path.sep).join('/');
    const own = layerOf(from);
    if (!own) {
      // Code of the app itself must have a place; tests, scripts and configs may import anything.
      if (/^(main|preload|renderer)\//.test(from)) {
        return { Program: (node) => context.report({ node, messageId: 'nolayer', data: { from } }) };
      }
      return {};
    }
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (!spec.startsWith('.')) {
        if (!packageAllowed(own, spec)) context.report({ node, messageId: 'package', data: { from, fromLayer: own.name, spec } });
        return;
      }
      const to = resolveImport(file, spec);
      const target = layerOf(to);
      if (!target) {
        // Assets and styles the bundler handles (renderer CSS, the icon) are not code.
        if (!/\.(css|svg|png)$/.test(to)) context.report({ node, messageId: 'outside', data: { from, to } });
        return;
      }
      if (target === own || own.uses.includes(target.name)) return;
      context.report({
        node,
        messageId: 'upward',
        data: { from, fromLayer: own.name, to, toLayer: target.name, uses: own.uses.join(', ') || 'nothing' },
      });
    };
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
    };
  },
};

export default { rules: { layers: rule } };
