// A recognisable mark per operating system, drawn inline (filled glyphs, 24×24 grid). A
// LocalSend device of no known system is drawn as what it says it is (a phone, a server…).

import { useTranslation } from 'react-i18next';
import { deviceKind, platformKind, platformName, type DeviceKind } from '../state/peers.js';

type Kind = ReturnType<typeof platformKind> | Exclude<DeviceKind, 'computer'>;

function Glyph({ kind }: { kind: Kind }) {
  switch (kind) {
    case 'phone':
      return (
        <g className="glyph-stroke">
          <rect x="6" y="2.5" width="12" height="19" rx="2.5" />
          <path d="M10.5 18.5h3" />
        </g>
      );
    case 'browser':
      return (
        <g className="glyph-stroke">
          <circle cx="12" cy="12" r="9" />
          <path d="M3 12h18M12 3c2.4 2.6 3.6 5.6 3.6 9s-1.2 6.4-3.6 9c-2.4-2.6-3.6-5.6-3.6-9S9.6 5.6 12 3z" />
        </g>
      );
    case 'server':
      return (
        <g className="glyph-stroke">
          <rect x="3.5" y="4" width="17" height="6.5" rx="1.6" />
          <rect x="3.5" y="13.5" width="17" height="6.5" rx="1.6" />
          <path d="M7.5 7.25h.01M7.5 16.75h.01" />
        </g>
      );
    case 'headless':
      return (
        <g className="glyph-stroke">
          <rect x="2.5" y="4" width="19" height="16" rx="2" />
          <path d="m7 9.5 3 2.5-3 2.5M12.5 15h4.5" />
        </g>
      );
    case 'windows':
      return (
        <g className="glyph-fill">
          <rect x="3.5" y="3.5" width="7.9" height="7.9" rx="1" />
          <rect x="12.6" y="3.5" width="7.9" height="7.9" rx="1" />
          <rect x="3.5" y="12.6" width="7.9" height="7.9" rx="1" />
          <rect x="12.6" y="12.6" width="7.9" height="7.9" rx="1" />
        </g>
      );
    case 'mac':
    case 'ios':
      return (
        <g className="glyph-fill">
          <path d="M12 7.6c-1.4-.9-3.1-1.1-4.5-.5C5.2 8 4.3 10.9 4.9 13.9c.6 3.2 2.7 6.7 4.7 6.7 1 0 1.4-.5 2.4-.5s1.4.5 2.4.5c1.8 0 3.5-2.7 4.3-4.9-1.6-.7-2.5-2.1-2.5-3.8 0-1.5.8-2.8 2-3.5-.9-1.3-2.3-1.8-3.6-1.7-1 0-1.8.5-2.6.9z" />
          <path d="M12.3 6.3c-.1-1.8 1.2-3.4 3-3.7.2 1.8-1.2 3.5-3 3.7z" />
        </g>
      );
    case 'linux':
      return (
        <g>
          <ellipse className="glyph-fill" cx="12" cy="14.2" rx="6.2" ry="7.3" />
          <circle className="glyph-fill" cx="12" cy="7.2" r="4.6" />
          <ellipse className="glyph-light" cx="12" cy="15.6" rx="4.1" ry="5.3" />
          <ellipse className="glyph-light" cx="12" cy="8.1" rx="2.7" ry="3" />
          <circle className="glyph-fill" cx="10.9" cy="7.3" r=".65" />
          <circle className="glyph-fill" cx="13.1" cy="7.3" r=".65" />
          <ellipse className="glyph-warm" cx="12" cy="9.4" rx="1.4" ry=".75" />
          <ellipse className="glyph-warm" cx="8.3" cy="21.2" rx="2.7" ry="1.1" />
          <ellipse className="glyph-warm" cx="15.7" cy="21.2" rx="2.7" ry="1.1" />
        </g>
      );
    case 'android':
      return (
        <g className="glyph-fill">
          <path d="M5.5 11a6.5 6.5 0 0 1 13 0z" />
          <rect x="5.5" y="12" width="13" height="7" rx="1.5" />
        </g>
      );
    default:
      return (
        <g className="glyph-stroke">
          <rect x="3" y="4" width="18" height="12" rx="2" />
          <path d="M8 20h8M12 16v4" />
        </g>
      );
  }
}

export function PlatformIcon({
  platform,
  deviceType = null,
  size = 26,
}: {
  platform: string | null;
  /** LocalSend's deviceType: drawn when the system is not one Ferry knows. */
  deviceType?: string | null;
  size?: number;
}) {
  const { t } = useTranslation();
  const system = platformKind(platform);
  const device = deviceKind(deviceType);
  const kind: Kind = system === 'other' && device && device !== 'computer' ? device : system;
  return (
    <span className={`platform-icon platform-${system}`} title={platformName(platform) ?? t('app.platformUnknown')}>
      <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <Glyph kind={kind} />
      </svg>
    </span>
  );
}
