// Choosing part of a file offer: the listed entries as a tree, what is ticked, and the answer
// that makes (OfferChoice.paths). When the offer lists every entry, any file or folder can be
// left out; when it lists only the first ones (OFFER_PREVIEW_ENTRIES), only the top-level
// entries can, since what is not listed cannot be named. A folder counts as ticked when all it
// holds is, as partly ticked when some of it is. Pure: OfferChoices.tsx only renders it.

import type { OfferView } from '../contract.js';
import { i18n } from '../i18n/setup.js';
import { entriesNotShown } from './offers.js';

export type TickState = 'on' | 'off' | 'mixed';

export interface ChoiceNode {
  path: string;
  dir: boolean;
  /** Bytes of a file; null for a folder (or a size the sender did not give). */
  size: number | null;
  /** 0 for a top-level entry. */
  depth: number;
  /** False for a folder the offer does not list itself, only by its files' paths. */
  listed: boolean;
  parent: number | null;
  children: number[];
  /** Whether this row has a checkbox of its own. */
  choosable: boolean;
}

export interface ChoiceTree {
  /** In display order: each folder followed by what it holds, in the order the offer lists it. */
  nodes: ChoiceNode[];
  roots: number[];
  /** Every entry of the offer is listed: any of them can be chosen. Else only the top-level ones. */
  complete: boolean;
  /** What a tick is made of: the files and empty folders (complete), or the top-level entries. */
  units: number[];
  /** Per node, the units its state is made of: its own, or those under it. */
  unitsOf: number[][];
}

/** Builds the tree of what an offer lists; folders only named by their files' paths are added. */
export function choiceTree(offer: Pick<OfferView, 'entries' | 'fileCount' | 'dirCount'>): ChoiceTree {
  interface Raw {
    path: string;
    dir: boolean;
    size: number | null;
    listed: boolean;
    children: Raw[];
  }
  const byPath = new Map<string, Raw>();
  const top: Raw[] = [];
  const ensure = (path: string, dir: boolean, size: number | null, listed: boolean): Raw => {
    const known = byPath.get(path);
    if (known) {
      if (listed && !known.listed) Object.assign(known, { dir, size, listed });
      return known;
    }
    const node: Raw = { path, dir, size, listed, children: [] };
    byPath.set(path, node);
    const cut = path.lastIndexOf('/');
    if (cut > 0) ensure(path.slice(0, cut), true, null, false).children.push(node);
    else top.push(node);
    return node;
  };
  for (const e of offer.entries) {
    const path = e.path.replace(/\/+$/, '');
    if (path) ensure(path, e.dir, e.dir ? null : e.size, true);
  }

  const complete = entriesNotShown(offer) === 0;
  const nodes: ChoiceNode[] = [];
  const roots: number[] = [];
  const walk = (raw: Raw, depth: number, parent: number | null): number => {
    const index = nodes.length;
    const node: ChoiceNode = {
      path: raw.path,
      dir: raw.dir || raw.children.length > 0,
      size: raw.size,
      depth,
      listed: raw.listed,
      parent,
      children: [],
      choosable: complete || depth === 0,
    };
    nodes.push(node);
    for (const child of raw.children) node.children.push(walk(child, depth + 1, index));
    return index;
  };
  for (const raw of top) roots.push(walk(raw, 0, null));

  const units: number[] = [];
  const unitsOf: number[][] = nodes.map(() => []);
  if (complete) {
    // Children come after their folder: from the end, each node's units are known before its parent's.
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i]!;
      if (n.children.length === 0) {
        units.push(i);
        unitsOf[i] = [i];
      } else unitsOf[i] = n.children.flatMap((c) => unitsOf[c]!);
    }
    units.reverse();
  } else {
    for (const r of roots) units.push(r);
    nodes.forEach((_, i) => {
      let root = i;
      while (nodes[root]!.parent !== null) root = nodes[root]!.parent!;
      unitsOf[i] = [root];
    });
  }
  return { nodes, roots, complete, units, unitsOf };
}

/** Everything ticked: what an offer starts with. */
export function tickAll(tree: ChoiceTree): ReadonlySet<number> {
  return new Set(tree.units);
}

export function tickState(tree: ChoiceTree, ticked: ReadonlySet<number>, node: number): TickState {
  const units = tree.unitsOf[node] ?? [];
  let on = 0;
  for (const u of units) if (ticked.has(u)) on++;
  return on === 0 ? 'off' : on === units.length ? 'on' : 'mixed';
}

/** A click on a node's checkbox: a ticked (or partly ticked) folder empties, an unticked one fills. */
export function toggle(tree: ChoiceTree, ticked: ReadonlySet<number>, node: number): ReadonlySet<number> {
  const next = new Set(ticked);
  const fill = tickState(tree, ticked, node) !== 'on';
  for (const u of tree.unitsOf[node] ?? []) {
    if (fill) next.add(u);
    else next.delete(u);
  }
  return next;
}

export function allTicked(tree: ChoiceTree, ticked: ReadonlySet<number>): boolean {
  return tree.units.every((u) => ticked.has(u));
}

/**
 * What answerOffer's choice names: null when all of it is taken; else the fewest paths that say
 * it: a folder ticked whole by its own path (what it holds goes with it), else what is ticked in it.
 */
export function chosenPaths(tree: ChoiceTree, ticked: ReadonlySet<number>): string[] | null {
  if (allTicked(tree, ticked)) return null;
  const out: string[] = [];
  const visit = (i: number): void => {
    const state = tickState(tree, ticked, i);
    if (state === 'on') out.push(tree.nodes[i]!.path);
    else if (state === 'mixed') for (const c of tree.nodes[i]!.children) visit(c);
  };
  for (const r of tree.roots) visit(r);
  return out;
}

export interface ChoiceTotals {
  all: boolean;
  /** Files ticked (those listed, when the offer lists only some). */
  files: number;
  bytes: number;
  /** Ticked folders hold files that are not listed: the real counts are higher. */
  atLeast: boolean;
  /** Something that holds a file is ticked: accepting receives something. */
  anything: boolean;
}

/** The counts the dialog shows for what is ticked. */
export function choiceTotals(
  tree: ChoiceTree,
  ticked: ReadonlySet<number>,
  offer: Pick<OfferView, 'fileCount' | 'totalBytes'>,
): ChoiceTotals {
  if (allTicked(tree, ticked)) return { all: true, files: offer.fileCount, bytes: offer.totalBytes, atLeast: false, anything: true };
  let files = 0;
  let bytes = 0;
  let atLeast = false;
  let anything = false;
  const count = (i: number): void => {
    const n = tree.nodes[i]!;
    if (!n.dir) {
      files++;
      bytes += n.size ?? 0;
    }
    for (const c of n.children) count(c);
  };
  for (const u of tree.units) {
    if (!ticked.has(u)) continue;
    const n = tree.nodes[u]!;
    const before = files;
    count(u);
    // A whole top-level folder of a partly listed offer brings files the list does not show.
    if (!tree.complete && n.dir) {
      atLeast = true;
      anything = true;
    }
    if (files > before) anything = true;
  }
  return { all: false, files, bytes, atLeast, anything };
}

/** Files under a folder, as listed (for the folder's row). */
export function filesUnder(tree: ChoiceTree, node: number): number {
  const n = tree.nodes[node];
  if (!n) return 0;
  if (!n.dir) return 1;
  return n.children.reduce((sum, c) => sum + filesUnder(tree, c), 0);
}

/** An absolute path on the computer that runs Ferry: /…, C:\…, or \\server\share. */
export function isAbsoluteFolder(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(path);
}

/** The folder a person typed for one transfer: null for the download folder, or why it will not do. */
export function checkTransferFolder(
  typed: string,
  downloadDir: string,
  platform: string,
): { ok: true; folder: string | null } | { ok: false; message: string } {
  const folder = typed.trim();
  if (folder === '' || folder === downloadDir) return { ok: true, folder: null };
  if (!isAbsoluteFolder(folder)) {
    const example = platform === 'win32' ? 'C:\\Users\\sam\\Pictures' : '/home/sam/Pictures';
    return { ok: false, message: i18n.t('offers.saveTo.wholePath', { example }) };
  }
  return { ok: true, folder };
}
