// The progress bar as assistive tech and tests see it: role="progressbar" with an integer
// aria-valuenow. The fill is a CSS custom property set through the CSSOM (React's style
// prop), which a CSP without 'unsafe-inline' allows; only style attributes in markup are blocked.

import type { CSSProperties } from 'react';
import type { Tone } from '../state/transfers.js';

export function ProgressBar({ value, label, valueText, tone }: { value: number; label: string; valueText: string; tone: Tone }) {
  const pct = Math.max(0, Math.min(100, Math.round(Number.isFinite(value) ? value : 0)));
  return (
    <div
      className={`progress tone-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={{ '--progress': `${pct / 100}` } as CSSProperties} />
    </div>
  );
}
