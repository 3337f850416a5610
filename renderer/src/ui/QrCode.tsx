// A QR code drawn as SVG (dark modules on white, with the quiet zone scanners need, in either
// colour scheme), named for assistive tech by `label`. Encoded in the page: nothing is fetched.

import { useMemo } from 'react';
import { encode } from 'uqr';
import { QR_QUIET, qrPath } from '../state/qr.js';

export function QrCode({ value, label, size = 192 }: { value: string; label: string; size?: number }) {
  const qr = useMemo(() => encode(value, { ecc: 'M', border: 0 }), [value]);
  const whole = qr.size + QR_QUIET * 2;
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${whole} ${whole}`}
      width={size}
      height={size}
      shapeRendering="crispEdges"
      data-value={value}
    >
      <rect width={whole} height={whole} fill="#fff" />
      <path d={qrPath(qr.data)} fill="#000" />
    </svg>
  );
}
