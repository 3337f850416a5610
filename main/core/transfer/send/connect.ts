// The sender's TLS connection to a receiver, with a deadline for TCP connect and TLS handshake
// together, and failures told apart: nobody there, busy or not Ferry, or TLS that failed.

import * as tls from 'node:tls';
import { FerryError, toFerryError } from '../../errors.js';
import { clientTlsOptions } from '../../security/tls.js';
import type { LocalIdentity } from '../identity.js';

const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  host: string;
  port: number;
  identity: LocalIdentity;
  connectTimeoutMs?: number;
}

export function connectTls(opts: ConnectOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: opts.host,
      port: opts.port,
      ...clientTlsOptions(opts.identity.tls),
    });
    let connected = false;
    socket.once('connect', () => (connected = true));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new FerryError('CONNECT_FAILED', `no answer from ${opts.host}:${opts.port}`));
    }, opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      // Reached, but closed during the handshake: a busy receiver (its connection caps) or
      // something that does not speak Ferry's TLS.
      if (connected && !(err as NodeJS.ErrnoException).code?.startsWith('ERR_SSL')) {
        reject(
          new FerryError(
            'CONNECTION_LOST',
            `${opts.host}:${opts.port} closed the connection during the TLS handshake (busy, or not a Ferry receiver)`,
          ),
        );
      } else if (connected) {
        reject(new FerryError('CONNECT_FAILED', `TLS handshake with ${opts.host}:${opts.port} failed: ${(err as Error).message}`));
      } else {
        reject(toFerryError(err, 'CONNECT_FAILED'));
      }
    });
  });
}
