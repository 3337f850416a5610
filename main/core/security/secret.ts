// Shared-secret mode: before any offer, each side proves it knows the secret with an HMAC
// over both sides' fresh nonces, both certificate fingerprints and keying material exported
// from this very TLS session, so a proof captured or relayed elsewhere is worthless. The
// secret itself never crosses the wire.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type * as tls from 'node:tls';
import { FerryError } from '../errors.js';
import { readSecretFile, writeSecretFile } from '../store/secret-file.js';

/** Short secrets could be guessed offline from one captured proof. */
export const MIN_SECRET_BYTES = 16;
export const EKM_LABEL = 'EXPORTER-ferry-secret-proof';
export const EKM_BYTES = 32;

export type ProofRole = 'sender' | 'receiver';

export interface ProofInput {
  ekm: Buffer;
  senderNonce: string;
  receiverNonce: string;
  senderId: string;
  receiverId: string;
}

export function exportKeyingMaterial(socket: tls.TLSSocket): Buffer {
  // No context (TLS 1.3 treats an absent and an empty context alike).
  return socket.exportKeyingMaterial(EKM_BYTES, EKM_LABEL, Buffer.alloc(0));
}

/** Lower-case hex HMAC-SHA256; see PROTOCOL.md "Shared-secret proof" for the exact input. */
export function proofFor(secret: Buffer, role: ProofRole, p: ProofInput): string {
  const h = createHmac('sha256', secret);
  h.update(`ferry-secret-proof-v1\n${role}\n${p.senderNonce}\n${p.receiverNonce}\n${p.senderId}\n${p.receiverId}\n`);
  h.update(p.ekm);
  return h.digest('hex');
}

export function proofMatches(secret: Buffer, role: ProofRole, p: ProofInput, proof: string): boolean {
  const want = Buffer.from(proofFor(secret, role, p), 'hex');
  const got = Buffer.from(proof, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

export function newNonce(): string {
  return randomBytes(32).toString('hex');
}

/** 256 random bits, printable, for `ferry secret new` and the UI's "Generate". */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads a secret file: its text with surrounding whitespace trimmed, at least MIN_SECRET_BYTES. */
export async function loadSecret(file: string): Promise<Buffer> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new FerryError(
      'IO_ERROR',
      `cannot read the secret file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseSecret(text, file);
}

export function parseSecret(text: string, where = 'the secret'): Buffer {
  const secret = Buffer.from(text.trim(), 'utf8');
  if (secret.length < MIN_SECRET_BYTES) {
    throw new FerryError(
      'BAD_CONFIG',
      `${where} is too short (${secret.length} bytes; at least ${MIN_SECRET_BYTES} needed, a short secret can be guessed): make one with \`ferry secret new\``,
    );
  }
  return secret;
}

/** The secret set from a UI (kept in the config folder), or null when there is none. */
export async function loadStoredSecret(configDir: string): Promise<Buffer | null> {
  const text = await readSecretFile(configDir);
  return text === null ? null : parseSecret(text, 'the stored shared secret');
}

/** Sets (checked first: nothing is stored that would be refused) or clears the stored secret. */
export async function storeSecret(configDir: string, secret: string | null): Promise<Buffer | null> {
  const parsed = secret === null ? null : parseSecret(secret);
  await writeSecretFile(configDir, secret);
  return parsed;
}
