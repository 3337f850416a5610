// Who may drive `ferry serve`: a request must name this server in its Host (a rebound DNS
// name does not), carry the access token, and, where a browser says where it comes from,
// come from the page this server served.

import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenCheck = 'ok' | 'missing' | 'wrong';

export class UiAccess {
  private readonly tokenHash: Buffer;
  /** Set once the server listens: the Host and Origin checks compare against it. */
  port = 0;

  constructor(readonly token: string) {
    this.tokenHash = sha256(token);
  }

  /** The Host header names this server: a rebound DNS name (evil.example → 127.0.0.1) does not. */
  hostOk(host: string | undefined): boolean {
    if (!host) return false;
    const h = host.toLowerCase();
    return h === `127.0.0.1:${this.port}` || h === `localhost:${this.port}`;
  }

  tokenOk(token: string | null): TokenCheck {
    if (!token) return 'missing';
    // Hashing first makes the comparison constant-time whatever the length of what was sent.
    return timingSafeEqual(sha256(token), this.tokenHash) ? 'ok' : 'wrong';
  }

  /** Same origin as the Host the browser used (the page this server served). */
  originOk(origin: string | undefined, host: string | undefined): boolean {
    return !!origin && !!host && origin.toLowerCase() === `http://${host.toLowerCase()}`;
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
