// How much space the partial files of interrupted transfers hold in the download folder, and
// a way to delete them: they wait for their sender to come back and resume, and otherwise
// only take space until the receiver sweeps them a week later.

import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartialsView } from '../contract.js';
import { useAppState, useBridge, useRun } from '../hooks/app-context.js';
import { formatBytes } from '../state/format.js';

export function PartialFiles() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const run = useRun();
  const { settings } = useAppState();
  const id = useId();
  const [partials, setPartials] = useState<PartialsView | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    bridge.getPartials().then(
      (p) => live && setPartials(p),
      () => live && setPartials(null),
    );
    return () => {
      live = false;
    };
  }, [bridge, settings.downloadDir]);

  const discard = async (): Promise<void> => {
    setBusy(true);
    const r = await run(() => bridge.discardPartials(null), { prefix: t('settings.partials.discardFailed') });
    if (r.ok) setPartials(r.value);
    setBusy(false);
  };

  const text =
    partials === null
      ? t('settings.partials.checking')
      : partials.files === 0
        ? t('settings.partials.none')
        : // LocalSend's leftovers are counted too, and those resume nothing: say whose resume it is.
          settings.localsend
          ? t('settings.partials.keptFerry', { count: partials.files, size: formatBytes(partials.bytes) })
          : t('settings.partials.kept', { count: partials.files, size: formatBytes(partials.bytes) });

  return (
    <div className="setting-row">
      <div className="setting-text">
        <p className="setting-label" id={`${id}-label`}>
          {t('settings.partials.label')}
        </p>
        <p className="setting-help" id={`${id}-help`} role="status">
          {text}
        </p>
      </div>
      {partials !== null && partials.files > 0 && (
        <div className="setting-control">
          <button
            type="button"
            className="btn btn-secondary btn-small btn-danger-text"
            disabled={busy}
            aria-describedby={`${id}-label ${id}-help`}
            onClick={() => void discard()}
          >
            {t('settings.partials.discard')}
          </button>
        </div>
      )}
    </div>
  );
}
