// "Why can't I see other devices?": the discovery service's own account (getDiscoveryStatus),
// read out as findings, with the per-interface and counter detail underneath; and LocalSend's
// server (DeviceView.localsend): its port, or why it is not where LocalSend apps look.

import { useCallback, useEffect, useState } from 'react';
import type { DiscoverySnapshot } from '../contract.js';
import { useAppState, useBridge } from '../hooks/app-context.js';
import { discoveryFindings, droppedSummary, localsendFindings, sortFindings, type Level } from '../state/discovery.js';
import { errorMessage } from '../state/errors.js';
import { Icon, type IconName } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';

const LEVEL_ICON: Record<Level, IconName> = { error: 'alert', warning: 'alert', ok: 'check', info: 'info' };

export function DiscoveryDialog({ onClose }: { onClose: () => void }) {
  const bridge = useBridge();
  const { device, settings } = useAppState();
  const [snapshot, setSnapshot] = useState<DiscoverySnapshot | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    bridge.getDiscoveryStatus().then(
      (s) => {
        setSnapshot(s);
        setError(null);
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [bridge]);

  useEffect(() => {
    load();
    const timer = window.setInterval(load, 3000);
    return () => window.clearInterval(timer);
  }, [load]);

  return (
    <Modal labelledBy="discovery-title" onClose={onClose} className="discovery-dialog">
      <div className="modal-head">
        <span className="modal-icon" aria-hidden="true">
          <Icon name="wifi" size={22} />
        </span>
        <div>
          <h2 id="discovery-title" className="modal-title">
            Network troubleshooting
          </h2>
          <p className="modal-sub">How this device looks for others, live.</p>
        </div>
        <button type="button" className="icon-button modal-close" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      {/* Focusable, so a keyboard can scroll it in a small window (it holds no control of its own). */}
      <div className="modal-scroll" tabIndex={0} role="region" aria-label="Discovery details">
        {error && (
          <div className="banner banner-danger" role="alert">
            <Icon name="alert" />
            <span>Could not ask discovery: {error}</span>
          </div>
        )}
        {snapshot === undefined && !error && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Checking…
          </p>
        )}
        {snapshot !== undefined && (
          <ul className="findings" aria-label="Findings">
            {sortFindings([...discoveryFindings(snapshot), ...localsendFindings(device.localsend, settings.localsend)]).map((f, i) => (
              <li key={i} className={`finding finding-${f.level}`}>
                <Icon name={LEVEL_ICON[f.level]} size={16} />
                <span>{f.text}</span>
              </li>
            ))}
          </ul>
        )}

        {snapshot && (
          <>
            <h3 className="section-title">Network interfaces</h3>
            {snapshot.interfaces.length === 0 ? (
              <p className="muted">None in use.</p>
            ) : (
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Interface</th>
                    <th scope="col">Address</th>
                    <th scope="col">Multicast</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Heard</th>
                  </tr>
                </thead>
                <tbody>
                  {snapshot.interfaces.map((i) => (
                    <tr key={i.name}>
                      <td>{i.name}</td>
                      <td className="mono">{i.address}</td>
                      <td>{i.joined ? 'joined' : i.joinError ? `no (${i.joinError.code})` : 'no'}</td>
                      <td>
                        {i.sends.multicast.sent + (i.sends.broadcast?.sent ?? 0)}
                        {i.sends.multicast.failed + (i.sends.broadcast?.failed ?? 0) > 0 && (
                          <span className="text-danger"> ({i.sends.multicast.failed + (i.sends.broadcast?.failed ?? 0)} failed)</span>
                        )}
                      </td>
                      <td>{i.heard}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {snapshot.skipped.length > 0 && (
              <p className="muted small gap-below">Not used: {snapshot.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}</p>
            )}

            <h3 className="section-title">Counters</h3>
            <dl className="stats">
              <div>
                <dt>Listening</dt>
                <dd>{snapshot.listen.ok ? `UDP ${snapshot.port}` : 'no'}</dd>
              </div>
              <div>
                <dt>Announcing</dt>
                <dd>{snapshot.announcing ? `every ${Math.round(snapshot.intervalMs / 1000)} s` : 'no'}</dd>
              </div>
              <div>
                <dt>Received</dt>
                <dd>{snapshot.received.datagrams}</dd>
              </div>
              <div>
                <dt>Announcements</dt>
                <dd>{snapshot.received.announces}</dd>
              </div>
              <div>
                <dt>Own echoes</dt>
                <dd>{snapshot.received.own}</dd>
              </div>
              <div>
                <dt>Answers sent</dt>
                <dd>{snapshot.answers}</dd>
              </div>
              <div>
                <dt>Dropped</dt>
                <dd title={droppedSummary(snapshot.dropped) || undefined}>{Object.values(snapshot.dropped).reduce((n, v) => n + v, 0)}</dd>
              </div>
              <div>
                <dt>Devices</dt>
                <dd>{snapshot.peers}</dd>
              </div>
              <div>
                <dt>LocalSend</dt>
                <dd>
                  {device.localsend === null ? 'off' : device.localsend.port === null ? 'not listening' : `TCP ${device.localsend.port}`}
                </dd>
              </div>
            </dl>
            <p className="muted small">
              Group <span className="mono">{snapshot.group}</span>, UDP port <span className="mono">{snapshot.port}</span>. Devices on other
              subnets or behind a VPN are not discovered: add them by address.
            </p>
          </>
        )}
      </div>

      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={load}>
          <Icon name="retry" size={16} /> Refresh
        </button>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
