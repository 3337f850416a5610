// LocalSend's protocol (v2, as LocalSend 1.15–1.18 apps speak it) as the app layer's second
// Transport: its server receives (server.ts), its sender sends (sender.ts), its info route
// answers a probe. What only LocalSend has (devices registering with our server, the receive
// PIN, the cancel a receiver posts to the sender's own server) comes in through the hooks, so
// the app can route it to discovery and to the sends in progress.

import type { Transport } from '../model/transport.js';
import { collectSource } from '../transfer/source.js';
import { sameFingerprint, validateInfoResponse, type InfoResponse } from './announce.js';
import { FIRST_CONTACT, localSendRequest, type ExpectedServer } from './https-client.js';
import { cancelledByReceiver } from './sender.js';
import type { RegisteredDevice, SenderCancelTarget } from './server-state.js';
import type { LocalIdentity } from '../security/identity.js';
import { debugLog } from '../debug-log.js';
import type { LocalSendDiscovery, LocalSendDiscoveryOptions } from './discovery.js';

// What the app's device list needs of LocalSend's discovery.
export type { LocalSendDiscovery, LocalSendDiscoveryOptions } from './discovery.js';
export type { RegisteredDevice } from './server-state.js';
export { FERRY_DEVICE_MODEL } from './announce.js';

/** LocalSend's discovery, loaded when first started: hosts with LocalSend off never load it. */
export async function createLocalSendDiscovery(options: LocalSendDiscoveryOptions): Promise<LocalSendDiscovery> {
  const { LocalSendDiscovery } = await import('./discovery.js');
  return new LocalSendDiscovery(options);
}

export interface LocalSendHooks {
  /** A device registered with our server: discovery lists it (it is never trusted for that). */
  onRegister?: (device: RegisteredDevice) => void;
  /** The PIN senders must give (null: none), read when the server starts; endpoint.update changes it later. */
  pin(): string | null;
  /** Our server's port, for the `info` our sends carry (null: not receiving over LocalSend). */
  ownPort(): number | null;
}

/** How long a cancel posted to a sender may take: it is a courtesy, the transfer has ended already. */
const CANCEL_NOTICE_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 3_000;

export function localSendTransport(hooks: LocalSendHooks): Transport {
  return {
    protocol: 'localsend',

    collect: (paths) => collectSource(paths),

    async listen(r) {
      const { startLocalSendServer } = await import('./server.js');
      return startLocalSendServer({
        ...r,
        pin: hooks.pin(),
        ...(hooks.onRegister ? { onRegister: hooks.onRegister } : {}),
        // A LocalSend receiver tells the sender of its cancel by posting to the sender's server.
        onPeerCancel: (sessionId, address) => cancelledByReceiver(sessionId, address),
        notifySender: (target) => void notifySender(target, r.identity),
      });
    },

    async send(r) {
      const { sendToLocalSend } = await import('./sender.js');
      const fingerprint: ExpectedServer = r.expectDeviceId ?? FIRST_CONTACT;
      return sendToLocalSend({
        host: r.host,
        port: r.port,
        fingerprint,
        source: r.source,
        ...(r.text !== undefined ? { text: r.text } : {}),
        transferId: r.transferId,
        identity: r.identity,
        ownPort: hooks.ownPort(),
        trust: r.trust,
        signal: r.signal,
        onEvent: r.onEvent,
        ...(r.pin !== undefined ? { pin: r.pin } : {}),
        ...(r.askPin ? { askPin: r.askPin } : {}),
      });
    },

    async probe(host, port, identity, signal) {
      const info = await fetchInfo(host, port, identity, signal).catch(() => null);
      if (!info) return null;
      return {
        deviceId: info.fingerprint,
        deviceName: info.info.alias,
        platform: info.info.deviceModel ?? info.info.deviceType ?? 'LocalSend',
      };
    },
  };
}

/**
 * Who answers LocalSend's info route at HOST:PORT, with the certificate fingerprint that proves
 * it: the first contact with a device added by address (1.18 serves v2, 1.17 also v1).
 */
async function fetchInfo(
  host: string,
  port: number,
  identity: LocalIdentity,
  signal: AbortSignal,
): Promise<{ info: InfoResponse; fingerprint: string } | null> {
  for (const version of ['v2', 'v1']) {
    const res = await localSendRequest({
      host,
      port,
      method: 'GET',
      path: `/api/localsend/${version}/info?fingerprint=${encodeURIComponent(identity.deviceId)}`,
      fingerprint: FIRST_CONTACT,
      credentials: identity.tls,
      timeoutMs: PROBE_TIMEOUT_MS,
      signal,
    });
    if (res.status === 404) continue;
    if (!res.ok) return null;
    const info = validateInfoResponse(res.json);
    // The body's fingerprint is a claim; the certificate is the proof, and they must agree.
    if (!sameFingerprint(info.fingerprint, res.serverFingerprint)) return null;
    return { info, fingerprint: res.serverFingerprint };
  }
  return null;
}

async function notifySender(target: SenderCancelTarget, identity: LocalIdentity): Promise<void> {
  // Ferry talks to LocalSend over HTTPS only: a sender in plain-HTTP mode learns of the cancel
  // when its next upload is refused.
  if (target.scheme !== 'https') return;
  try {
    await localSendRequest({
      host: target.host,
      port: target.port,
      method: 'POST',
      path: `/api/localsend/v2/cancel?sessionId=${encodeURIComponent(target.sessionId)}`,
      fingerprint: target.fingerprint ?? FIRST_CONTACT,
      credentials: identity.tls,
      timeoutMs: CANCEL_NOTICE_TIMEOUT_MS,
    });
  } catch (err) {
    debugLog('localsend', 'telling the sender of a cancel failed', err);
  }
}
