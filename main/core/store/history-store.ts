// Past transfers (history.json in the config folder): the newest MAX_HISTORY, written
// atomically after each finished transfer.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { HistoryEntry } from '../contract/index.js';
import { writeJsonAtomic } from './atomic-file.js';

export const MAX_HISTORY = 500;

export class History {
  private entries: HistoryEntry[] = [];
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly configDir: string) {}

  async load(): Promise<void> {
    try {
      const raw: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
      const list = (raw as { entries?: unknown })?.entries;
      this.entries = Array.isArray(list) ? (list.filter(isEntry) as HistoryEntry[]).slice(0, MAX_HISTORY).map(withDefaults) : [];
    } catch {
      // Absent or damaged: start afresh rather than refuse to start.
      this.entries = [];
    }
  }

  list(): HistoryEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  add(entry: HistoryEntry): Promise<void> {
    this.entries = [entry, ...this.entries.filter((e) => e.id !== entry.id || e.direction !== entry.direction)].slice(0, MAX_HISTORY);
    return this.save();
  }

  clear(): Promise<void> {
    this.entries = [];
    return this.save();
  }

  /** Resolves once every entry added so far is on disk (before the config folder may go). */
  flushed(): Promise<void> {
    return this.saving;
  }

  private get file(): string {
    return path.join(this.configDir, 'history.json');
  }

  private save(): Promise<void> {
    const snapshot = { version: 1, entries: this.entries };
    this.saving = this.saving.then(() => writeJsonAtomic(this.file, snapshot)).catch(() => {});
    return this.saving;
  }
}

function isEntry(v: unknown): boolean {
  const e = v as Partial<HistoryEntry> | null;
  return !!e && typeof e.id === 'string' && (e.direction === 'send' || e.direction === 'receive') && typeof e.startedAt === 'number';
}

/** Entries written before a field existed read with its neutral value (no title, no folders counted). */
function withDefaults(e: HistoryEntry): HistoryEntry {
  const label = e.label as HistoryEntry['label'] | undefined;
  return {
    ...e,
    label: label && typeof label.first === 'string' ? label : { first: '', firstIsDir: false, count: 0 },
    dirCount: typeof e.dirCount === 'number' ? e.dirCount : 0,
    text: typeof e.text === 'string' ? e.text : null,
    protocol: e.protocol === 'localsend' ? 'localsend' : 'ferry',
  };
}
