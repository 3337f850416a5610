// LocalSend's receiving side (protocol v2, as LocalSend 1.15–1.18 apps speak it): an HTTPS
// server with Ferry's own certificate, as the listen half of Ferry's second Transport. Its
// routes: info and register for discovery, prepare-upload (an offer, prepare.ts), upload (one
// file's bytes, upload.ts) and cancel; anything else is 404.
//
// TLS 1.2 or 1.3: LocalSend 1.18 (rustls) and the Dart apps speak 1.3, but 1.2 costs nothing
// with forward-secret AEAD suites only, and keeps older Android builds and browsers in. A client
// certificate is requested, never required: LocalSend ≤ 1.17 and browsers send none.
//
// Timeouts: Node's 300 s requestTimeout would cut any upload longer than five minutes, so it is
// off. Instead: the TLS handshake and the headers each have a deadline, a body that stalls (no
// byte while we were ready for one) is dropped after idleMs, an accepted transfer without
// uploads ends after sessionIdleMs, and the prepare-upload waiting for the person has none at all
// (TCP keep-alive finds a sender that vanished).

import * as fs from 'node:fs/promises';
import type * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeFolders } from '../folders.js';
import type { ReceiveEndpoint } from '../model/transport.js';
import { PartialFiles } from './partial-files.js';
import { identify } from './peer.js';
import { PinGate } from './pin.js';
import { prepareUpload } from './prepare.js';
import { Refusal } from './refusal.js';
import { parseJson, queryOf, readBody, remoteAddress, replyEmpty, replyError, replyJson } from './server-http.js';
import { DEFAULT_CAPS, DEFAULT_TIMEOUTS, type LocalSendListenRequest, type ServerState } from './server-state.js';
import { Connections } from '../security/connection-caps.js';
import { receiveUpload } from './upload.js';
import { LOCALSEND_LIMITS, parseRegister } from './upload-messages.js';
import { ownInfo, type InfoResponse } from './announce.js';

export type { LocalSendListenRequest, RegisteredDevice, SenderCancelTarget } from './server-state.js';

// TLS 1.3's suites, then 1.2's with forward secrecy and AEAD only (ECDSA first: Ferry's key is P-256).
const CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES256-GCM-SHA384',
].join(':');

/** A request refused without reading its body: a small body is read and dropped, a large one closes the connection. */
const DRAIN_REFUSED_BODY = 1024 * 1024;

export interface LocalSendEndpoint extends ReceiveEndpoint {
  /** `pin`: LocalSend's receive PIN from now on (null: none). `secret`: while one is set, no LocalSend offer is taken. */
  update(changes: { secret?: Buffer | null; pin?: string | null }): void;
  /** TCP connections held, including those still in their TLS handshake. */
  readonly openConnections: number;
}

/** What info and register answer unless the request says otherwise. */
export function defaultInfo(request: Pick<LocalSendListenRequest, 'identity'>, port: number): InfoResponse {
  return ownInfo({ alias: request.identity.deviceName, fingerprint: request.identity.deviceId, port });
}

export async function startLocalSendServer(request: LocalSendListenRequest): Promise<LocalSendEndpoint> {
  await makeFolders(request.dir);
  const root = await fs.realpath(request.dir);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...request.timeouts };
  const caps = { ...DEFAULT_CAPS, ...request.caps };
  const st: ServerState = {
    root,
    request,
    timeouts,
    caps,
    emit: request.onEvent,
    partials: new PartialFiles(root),
    pins: new PinGate(request.pin ?? null),
    secret: request.secret,
    slot: null,
    ended: new Map(),
    readingPrepares: 0,
    port: 0,
  };
  const server = https.createServer(
    {
      key: request.identity.tls.key,
      cert: request.identity.tls.cert,
      minVersion: 'TLSv1.2',
      ciphers: CIPHERS,
      honorCipherOrder: true,
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      handshakeTimeout: timeouts.handshakeMs,
      requestTimeout: 0,
      headersTimeout: timeouts.headersMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often Node checks the headers deadline (its 30 s default would let it slip).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, timeouts.headersMs / 2)),
      maxHeaderSize: caps.maxHeaderBytes,
      keepAlive: true,
      keepAliveInitialDelay: 60_000,
    },
    (req, res) => void route(req, res, st),
  );
  const conns = new Connections(caps, timeouts.handshakeMs);
  server.on('connection', (s: net.Socket) => conns.admit(s));
  server.on('secureConnection', (s: TLSSocket) => conns.secured(s));
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: request.host, port: request.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  st.port = port;

  const cancel = (transferId: string | null, message: string): boolean => {
    const slot = st.slot;
    if (slot?.kind === 'deciding' && (transferId === null || slot.transferId === transferId)) {
      slot.withdraw('local', message);
      return true;
    }
    if (slot?.kind !== 'active' || (transferId !== null && slot.session.transferId !== transferId)) return false;
    const session = slot.session;
    if (!session.cancel('local', message)) return false;
    const { peer } = session;
    // A sender that did not say where its server is runs it as we do, LocalSend assumes (so do we).
    request.notifySender?.({
      host: peer.address,
      port: peer.port ?? port,
      scheme: peer.scheme ?? 'https',
      fingerprint: peer.verified ? peer.fingerprint : null,
      sessionId: session.sessionId,
    });
    return true;
  };

  return {
    port,
    get openConnections() {
      return conns.count;
    },
    cancelTransfer: (transferId, message = 'cancelled by the receiver') => cancel(transferId, message),
    update(changes) {
      if (changes.secret !== undefined) st.secret = changes.secret;
      if (changes.pin !== undefined) st.pins.set(changes.pin);
    },
    // No resume in this protocol: a transfer keeps no partial once it ended (its last writes
    // are awaited); one still running has only the files it is writing.
    async partials(transferId) {
      if (transferId === null) return st.partials.summary();
      await st.ended.get(transferId)?.settled();
      return { files: 0, bytes: 0 };
    },
    async discardPartials(transferId) {
      if (transferId === null) return st.partials.discard();
      await st.ended.get(transferId)?.settled();
    },
    async close() {
      const closing = new Promise<void>((r) => server.close(() => r()));
      const session = st.slot?.kind === 'active' ? st.slot.session : null;
      cancel(null, 'the receiver is shutting down');
      await session?.settled();
      conns.destroyAll();
      await closing;
    },
  };
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, st: ServerState): Promise<void> {
  const path = new URL(req.url ?? '/', 'https://localsend.invalid').pathname;
  try {
    switch (`${req.method} ${path}`) {
      case 'GET /api/localsend/v1/info':
      case 'GET /api/localsend/v2/info':
        return info(req, res, st);
      case 'POST /api/localsend/v2/register':
        return await register(req, res, st);
      case 'POST /api/localsend/v2/prepare-upload':
        return await prepareUpload(req, res, st);
      case 'POST /api/localsend/v2/upload':
        return upload(req, res, st);
      case 'POST /api/localsend/v2/cancel':
        return cancelRoute(req, res, st);
      default:
        return refuse(req, res, new Refusal(404, 'NOT_FOUND', 'Not found'));
    }
  } catch (err) {
    if (err instanceof Refusal) {
      // An offer turned away for what it holds is worth a line in the host's log; a busy answer is not.
      if (path.endsWith('/prepare-upload') && [400, 403, 413].includes(err.status) && err.code !== 'AUTH_REQUIRED') {
        st.emit({
          event: 'error',
          direction: 'receive',
          code: err.code,
          message: `LocalSend offer from ${remoteAddress(req)} refused: ${err.message}`,
        });
      }
      return refuse(req, res, err);
    }
    replyError(res, 500, err instanceof Error ? err.message.split(st.root).join('<download folder>') : 'internal error', true);
  }
}

/** Answers a refusal; a body still coming is drained if small, else the connection closes after the answer. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, r: Refusal): void {
  const length = Number(req.headers['content-length'] ?? NaN);
  const close = r.status === 413 || (!req.complete && !(length <= DRAIN_REFUSED_BODY));
  replyError(res, r.status, r.message, close);
}

function ourInfo(st: ServerState): InfoResponse {
  return st.request.info ? st.request.info() : defaultInfo(st.request, st.port);
}

function info(req: http.IncomingMessage, res: http.ServerResponse, st: ServerState): void {
  const ours = ourInfo(st);
  // A LocalSend 1.17 scan carries its own fingerprint: that is us finding ourselves.
  if (queryOf(req).get('fingerprint')?.toLowerCase() === ours.fingerprint.toLowerCase()) {
    return replyError(res, 412, 'Self-discovered');
  }
  replyJson(res, 200, ours);
}

async function register(req: http.IncomingMessage, res: http.ServerResponse, st: ServerState): Promise<void> {
  const body = await readBody(req, LOCALSEND_LIMITS.maxSmallJsonBytes, st.timeouts.idleMs);
  const device = parseRegister(parseJson(body));
  const id = identify(req.socket as TLSSocket, device.fingerprint);
  const ours = ourInfo(st);
  if (id.fingerprint.toLowerCase() === ours.fingerprint.toLowerCase()) return replyError(res, 412, 'Self-discovered');
  st.request.onRegister?.({ info: device, fingerprint: id.fingerprint, verified: id.verified, address: remoteAddress(req) });
  replyJson(res, 200, ours);
}

function upload(req: http.IncomingMessage, res: http.ServerResponse, st: ServerState): void {
  const q = queryOf(req);
  if (!q.get('sessionId') || !q.get('fileId') || !q.get('token')) throw new Refusal(400, 'BAD_MESSAGE', 'Missing parameters');
  const slot = st.slot;
  // Before acceptance there is no session, so no session id can be right.
  if (slot?.kind !== 'active') throw new Refusal(403, 'UNEXPECTED_MESSAGE', 'Invalid session id');
  const f = slot.session.admit(q, remoteAddress(req));
  receiveUpload(req, res, slot.session, f, { partials: st.partials, idleMs: st.timeouts.idleMs });
}

/**
 * The sender cancels: its session (by id, from its address), or, while we decide, its offer
 * (no id yet). Anything else may be a receiver cancelling our own send to it (onPeerCancel).
 */
function cancelRoute(req: http.IncomingMessage, res: http.ServerResponse, st: ServerState): void {
  const sessionId = queryOf(req).get('sessionId');
  const address = remoteAddress(req);
  const slot = st.slot;
  if (slot?.kind === 'active' && slot.session.address === address && slot.session.sessionId === sessionId) {
    slot.session.cancel('peer', 'cancelled by the sender');
    return replyEmpty(res, 200);
  }
  if (slot?.kind === 'deciding' && slot.address === address && sessionId === null) {
    slot.withdraw('peer', 'the sender withdrew the offer');
    return replyEmpty(res, 200);
  }
  if (st.request.onPeerCancel?.(sessionId, address)) return replyEmpty(res, 200);
  throw new Refusal(403, 'UNEXPECTED_MESSAGE', 'No permission');
}
