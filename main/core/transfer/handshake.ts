// The opening of every connection, for both roles: hello each way (the protocol version, the
// certificate behind the device id a peer claims, who it is), then in shared-secret mode the
// proofs. The sender speaks first at each step; the receiver checks, then answers.

import type { TLSSocket } from 'node:tls';
import { FerryError } from '../errors.js';
import { PROTOCOL_MAJOR } from '../protocol/limits.js';
import { protocolVersion, type Hello, type Message } from '../protocol/messages.js';
import { printable } from '../protocol/wire-path.js';
import type { AuthBackoff } from '../security/auth-backoff.js';
import { exportKeyingMaterial, newNonce, proofFor, proofMatches, type ProofInput } from '../security/secret.js';
import { peerFingerprint } from '../security/tls.js';
import type { TrustView } from '../store/trust-store.js';
import { verificationCode } from '../security/verification-code.js';
import type { Connection } from './connection.js';
import type { PeerInfo } from '../model/events.js';
import { helloFor, type LocalIdentity } from './identity.js';
import { outOfTurn, type Role } from './out-of-turn.js';

/** The peer as the handshake leaves it: who it is (its certificate checked), and what it speaks. */
export interface Peer {
  info: PeerInfo;
  /** It announced 1.1: it sends and may be sent `received` reports and refusals. */
  speaks11: boolean;
  /** The minor version it announced: what else it knows (1.2: `text`). */
  minor: number;
}

/** A proof the receiver asked for and has not checked yet, with the secret it was asked under. */
export interface PendingProof {
  secret: Buffer;
  input: ProofInput;
}

// ---- the receiver's side ----

export interface ReceiverSide {
  socket: TLSSocket;
  address: string;
  identity: LocalIdentity;
  secret: Buffer | null;
  trust: TrustView | null;
  backoff: AuthBackoff;
}

/**
 * Checks the sender's hello and answers with ours. Returns the proof the sender owes next in
 * shared-secret mode; a sender that requires a secret we do not have learns from our hello
 * that we have none, and is then refused.
 */
export function answerHello(conn: Connection, m: Message, side: ReceiverSide): { peer: Peer; proof: PendingProof | null } {
  if (m.type !== 'hello') throw outOfTurn('receiver', m, 'hello');
  const minor = checkHello(m, side.socket, 'receiver');
  const wait = side.backoff.waitFor(side.address);
  if (wait > 0 && side.secret) {
    throw new FerryError('RATE_LIMITED', `too many wrong shared-secret proofs from this address; try again in ${Math.ceil(wait / 1000)} s`);
  }
  // A trusted name behind another certificate is let through to the person deciding, with a warning.
  const changed = side.trust?.changedIdentity(m.deviceId, m.deviceName) ?? null;
  const peer: Peer = {
    info: peerInfo(m, side.address, side.identity.deviceId, side.trust, changed ? changed.id : null),
    // 1.1 messages (`received`, refusals) go only to a sender that announced 1.1 too.
    speaks11: minor >= 1,
    minor,
  };
  const nonce = newNonce();
  conn.send(helloFor(side.identity, nonce, side.secret ? 'secret' : 'none'));
  if (!side.secret && m.auth !== 'secret') return { peer, proof: null };
  if (!side.secret) {
    throw new FerryError('AUTH_REQUIRED', 'a device that uses a shared secret tried to send, and this device has none set', {
      forPeer: 'it has no shared secret set, and this device uses one: use the same secret on both devices, or none on either',
    });
  }
  const input = proofInput(side.socket, m, { nonce, deviceId: side.identity.deviceId });
  return { peer, proof: { secret: side.secret, input } };
}

/** Checks the sender's proof, then proves ours. A wrong proof counts against its address. */
export function answerProof(conn: Connection, m: Message, pending: PendingProof, side: ReceiverSide): void {
  if (m.type !== 'auth') throw outOfTurn('receiver', m, 'a shared-secret proof');
  if (!proofMatches(pending.secret, 'sender', pending.input, m.proof)) {
    side.backoff.failed(side.address);
    throw new FerryError('AUTH_FAILED', "the shared-secret proof is wrong: the sender does not know this receiver's secret");
  }
  side.backoff.succeeded(side.address);
  conn.send({ type: 'auth', proof: proofFor(pending.secret, 'receiver', pending.input) });
}

// ---- the sender's side ----

export interface SenderSide {
  socket: TLSSocket;
  identity: LocalIdentity;
  secret: Buffer | null;
  trust: TrustView | null;
  /** The device we mean to reach (from discovery or a pin): anyone else is refused. */
  expectDeviceId: string | undefined;
  /** Where we connected, for messages. */
  host: string;
  port: number;
}

/** Where the receiver's replies come from, in order. */
export interface Replies {
  next(what: string): Promise<Message>;
}

/**
 * Says hello, checks the receiver's, and in shared-secret mode proves ours and checks its
 * proof. Unlike a receiver, a sender refuses a device that is not the one it set out to reach.
 */
export async function greetReceiver(conn: Connection, replies: Replies, side: SenderSide): Promise<Peer> {
  const nonce = newNonce();
  conn.send(helloFor(side.identity, nonce, side.secret ? 'secret' : 'none'));
  const hello = await replies.next('hello');
  if (hello.type !== 'hello') throw outOfTurn('sender', hello, 'hello');
  const minor = checkHello(hello, side.socket, 'sender');
  const name = printable(hello.deviceName);
  if (side.expectDeviceId && hello.deviceId !== side.expectDeviceId) {
    throw new FerryError(
      'IDENTITY_CHANGED',
      `${side.host}:${side.port} is "${name}" with device id ${hello.deviceId.slice(0, 16)}…, not the device expected (${side.expectDeviceId.slice(0, 16)}…); nothing was sent`,
    );
  }
  const changed = side.trust?.changedIdentity(hello.deviceId, hello.deviceName) ?? null;
  if (changed) {
    throw new FerryError(
      'IDENTITY_CHANGED',
      `the identity of "${name}" changed: you trust it as ${changed.id.slice(0, 16)}…, it now presents ${hello.deviceId.slice(0, 16)}…. If it was reinstalled, compare the verification code with its owner and trust it again; nothing was sent`,
    );
  }
  const peer: Peer = {
    info: peerInfo(hello, conn.socket.remoteAddress ?? side.host, side.identity.deviceId, side.trust, null),
    // A 1.1 receiver reports what has arrived, and refuses files up front (we announced 1.1 too).
    speaks11: minor >= 1,
    minor,
  };
  const secret = side.secret;
  if (secret || hello.auth === 'secret') {
    if (!secret) {
      throw new FerryError(
        'AUTH_REQUIRED',
        `"${name}" only accepts devices that know its shared secret: set the same secret on this device`,
      );
    }
    const input = proofInput(side.socket, { nonce, deviceId: side.identity.deviceId }, hello);
    conn.send({ type: 'auth', proof: proofFor(secret, 'sender', input) });
    const reply = await replies.next('auth');
    if (reply.type !== 'auth') throw outOfTurn('sender', reply, 'a shared-secret proof');
    if (!proofMatches(secret, 'receiver', input, reply.proof)) {
      throw new FerryError('AUTH_FAILED', `"${name}" does not know the shared secret; nothing was sent`);
    }
  }
  return peer;
}

// ---- both ----

/** The major version we speak, and the certificate behind the device id. Returns the peer's minor version. */
function checkHello(hello: Hello, socket: TLSSocket, role: Role): number {
  const { major, minor } = protocolVersion(hello.protocol);
  if (major !== PROTOCOL_MAJOR) {
    throw new FerryError(
      'UNSUPPORTED_VERSION',
      role === 'receiver'
        ? `protocol ${hello.protocol} is not supported; this receiver speaks ${PROTOCOL_MAJOR}.x`
        : `the receiver speaks protocol ${hello.protocol}; this sender speaks ${PROTOCOL_MAJOR}.x`,
    );
  }
  // The device id is only as good as the key behind it: it must be this certificate's.
  const fingerprint = peerFingerprint(socket);
  if (fingerprint !== hello.deviceId) {
    const they = role === 'receiver' ? 'the sender' : 'the receiver';
    // Only a client can leave its certificate out: a TLS 1.3 server always presents one.
    throw new FerryError(
      'IDENTITY_MISMATCH',
      fingerprint === null && role === 'receiver'
        ? `${they} presented no certificate`
        : `${they}'s certificate does not belong to the device id it claims`,
    );
  }
  return minor;
}

function peerInfo(hello: Hello, address: string, localId: string, trust: TrustView | null, identityChangedFrom: string | null): PeerInfo {
  return {
    deviceId: hello.deviceId,
    deviceName: printable(hello.deviceName),
    platform: printable(hello.platform),
    appVersion: printable(hello.appVersion),
    address,
    // The same code on both screens: it does not depend on which side computes it.
    verificationCode: verificationCode(hello.deviceId, localId),
    trusted: trust?.isTrusted(hello.deviceId) ?? false,
    identityChangedFrom,
    protocol: 'ferry',
    // The TLS handshake proved the certificate behind the id (handshake checks it before this).
    verified: true,
  };
}

/** What both proofs are computed over: both nonces and ids, and keying material of this TLS session. */
function proofInput(
  socket: TLSSocket,
  sender: { nonce: string; deviceId: string },
  receiver: { nonce: string; deviceId: string },
): ProofInput {
  return {
    ekm: exportKeyingMaterial(socket),
    senderNonce: sender.nonce,
    receiverNonce: receiver.nonce,
    senderId: sender.deviceId,
    receiverId: receiver.deviceId,
  };
}
