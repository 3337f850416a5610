// "Why can't I see other devices?": the discovery service's own account (getDiscoveryStatus),
// read out as findings, with the per-interface and counter detail underneath; and LocalSend's
// server (DeviceView.localsend): its port, or why it is not where LocalSend apps look.

import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { DiscoverySnapshot, SkippedInterface } from '../contract.js';
import { useAppState, useBridge } from '../hooks/app-context.js';
import { errorText } from '../i18n/setup.js';
import { discoveryFindings, droppedSummary, localsendFindings, sortFindings, type Level } from '../state/discovery.js';
import { describeError } from '../state/errors.js';
import { Icon, type IconName } from '../ui/Icon.js';
import { Modal } from '../ui/Modal.js';

const LEVEL_ICON: Record<Level, IconName> = { error: 'alert', warning: 'alert', ok: 'check', info: 'info' };

const SKIP_REASONS = {
  'no IPv4 address': 'discovery.skip.noIpv4',
  'not selected': 'discovery.skip.notSelected',
  loopback: 'discovery.skip.loopback',
  'not found': 'discovery.skip.notFound',
} as const satisfies Record<SkippedInterface['reason'], string>;

export function DiscoveryDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
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
      (err: unknown) => setError(errorText(describeError(err))),
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
            {t('discovery.title')}
          </h2>
          <p className="modal-sub">{t('discovery.sub')}</p>
        </div>
        <button type="button" className="icon-button modal-close" aria-label={t('common.actions.close')} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      {/* Focusable, so a keyboard can scroll it in a small window (it holds no control of its own). */}
      <div className="modal-scroll" tabIndex={0} role="region" aria-label={t('discovery.details')}>
        {error && (
          <div className="banner banner-danger" role="alert">
            <Icon name="alert" />
            <span>{t('discovery.askFailed', { error })}</span>
          </div>
        )}
        {snapshot === undefined && !error && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> {t('discovery.checking')}
          </p>
        )}
        {snapshot !== undefined && (
          <ul className="findings" aria-label={t('discovery.findingsLabel')}>
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
            <h3 className="section-title">{t('discovery.interfaces.title')}</h3>
            {snapshot.interfaces.length === 0 ? (
              <p className="muted">{t('discovery.interfaces.none')}</p>
            ) : (
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('discovery.interfaces.name')}</th>
                    <th scope="col">{t('discovery.interfaces.address')}</th>
                    <th scope="col">{t('discovery.interfaces.multicast')}</th>
                    <th scope="col">{t('discovery.interfaces.sent')}</th>
                    <th scope="col">{t('discovery.interfaces.heard')}</th>
                  </tr>
                </thead>
                <tbody>
                  {snapshot.interfaces.map((i) => (
                    <tr key={i.name}>
                      <td>{i.name}</td>
                      <td className="mono">{i.address}</td>
                      <td>
                        {i.joined
                          ? t('discovery.interfaces.joined')
                          : i.joinError
                            ? t('discovery.interfaces.noCode', { code: i.joinError.code })
                            : t('discovery.interfaces.no')}
                      </td>
                      <td>
                        {i.sends.multicast.sent + (i.sends.broadcast?.sent ?? 0)}
                        {i.sends.multicast.failed + (i.sends.broadcast?.failed ?? 0) > 0 && (
                          <span className="text-danger">
                            {' '}
                            {t('discovery.interfaces.failed', { n: i.sends.multicast.failed + (i.sends.broadcast?.failed ?? 0) })}
                          </span>
                        )}
                      </td>
                      <td>{i.heard}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {snapshot.skipped.length > 0 && (
              <p className="muted small gap-below">
                {t('discovery.interfaces.notUsed', {
                  list: snapshot.skipped
                    .map((s) => t('discovery.interfaces.skipped', { name: s.name, reason: t(SKIP_REASONS[s.reason]) }))
                    .join(t('discovery.listSeparator')),
                })}
              </p>
            )}

            <h3 className="section-title">{t('discovery.counters.title')}</h3>
            <dl className="stats">
              <div>
                <dt>{t('discovery.counters.listening')}</dt>
                <dd>{snapshot.listen.ok ? t('discovery.counters.udp', { port: snapshot.port }) : t('discovery.counters.no')}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.announcing')}</dt>
                <dd>
                  {snapshot.announcing
                    ? t('discovery.counters.every', { s: Math.round(snapshot.intervalMs / 1000) })
                    : t('discovery.counters.no')}
                </dd>
              </div>
              <div>
                <dt>{t('discovery.counters.received')}</dt>
                <dd>{snapshot.received.datagrams}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.announcements')}</dt>
                <dd>{snapshot.received.announces}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.own')}</dt>
                <dd>{snapshot.received.own}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.answers')}</dt>
                <dd>{snapshot.answers}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.dropped')}</dt>
                <dd title={droppedSummary(snapshot.dropped) || undefined}>{Object.values(snapshot.dropped).reduce((n, v) => n + v, 0)}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.devices')}</dt>
                <dd>{snapshot.peers}</dd>
              </div>
              <div>
                <dt>{t('discovery.counters.localsend')}</dt>
                <dd>
                  {device.localsend === null
                    ? t('discovery.counters.localsendOff')
                    : device.localsend.port === null
                      ? t('discovery.counters.localsendNotListening')
                      : t('discovery.counters.tcp', { port: device.localsend.port })}
                </dd>
              </div>
            </dl>
            <p className="muted small">
              <Trans
                i18nKey="discovery.footer"
                values={{ group: snapshot.group, port: snapshot.port }}
                components={{ mono: <span className="mono" /> }}
              />
            </p>
          </>
        )}
      </div>

      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={load}>
          <Icon name="retry" size={16} /> {t('discovery.refresh')}
        </button>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          {t('discovery.done')}
        </button>
      </div>
    </Modal>
  );
}
