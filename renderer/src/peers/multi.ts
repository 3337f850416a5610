// Sending to several devices at once: the files are picked (or dropped) once and sent to each
// selected device as a transfer of its own, each its own row in the queue. In the desktop app
// the bridge hands the files' paths to sendPaths, once per device; in a browser it uploads them
// to `ferry serve` once per device (a staged batch can be sent only once) and sends each batch.

import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { DroppedFile } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { pickFiles } from '../bridge/pick-files.js';

export { pickFiles };

/** Sends the same files to each device (all at once): each a transfer of its own, each failure said. */
export function useSendToMany(): (keys: readonly string[], files: DroppedFile[], emptyDirs?: string[]) => Promise<void> {
  const bridge = useBridge();
  const run = useRun();
  const { t } = useTranslation();
  const { peers } = useAppState();
  return useCallback(
    async (keys, files, emptyDirs = []) => {
      await Promise.all(
        keys.map((key) => {
          const name = peers.find((p) => p.key === key)?.name;
          const prefix = name === undefined ? t('peers.failed.sendUnknown') : t('peers.failed.send', { name });
          return run(() => bridge.sendDropped(key, files, emptyDirs), { prefix });
        }),
      );
    },
    [bridge, run, peers, t],
  );
}
