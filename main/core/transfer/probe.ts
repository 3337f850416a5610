// Is a Ferry receiver at HOST:PORT, and who is it? A probe is the protocol's shortest session:
// TLS, hello both ways (with the certificate check every session does), then end.

import * as tls from 'node:tls';
import { encodeFrame, FrameDecoder } from '../protocol/frame.js';
import { validateMessage } from '../protocol/messages.js';
import { printable } from '../protocol/wire-path.js';
import { newNonce } from '../security/secret.js';
import { clientTlsOptions, peerFingerprint } from '../security/tls.js';
import { helloFor, type LocalIdentity } from './identity.js';
import type { ProbedDevice } from '../model/transport.js';

/** Resolves null when nothing answers, or nothing that proves the identity it claims. */
export function probePeer(host: string, port: number, identity: LocalIdentity, signal: AbortSignal): Promise<ProbedDevice | null> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(null);
    const socket = tls.connect({ host, port, ...clientTlsOptions(identity.tls) });
    let result: ProbedDevice | null = null;
    const finish = (): void => {
      signal.removeEventListener('abort', finish);
      socket.destroy();
      resolve(result);
    };
    signal.addEventListener('abort', finish, { once: true });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('secureConnect', () => socket.write(encodeFrame(helloFor(identity, newNonce(), 'none'))));
    const decoder = new FrameDecoder({
      header: (raw) => {
        const m = validateMessage(raw);
        if (m.type === 'hello' && peerFingerprint(socket) === m.deviceId) {
          result = { deviceId: m.deviceId, deviceName: printable(m.deviceName), platform: printable(m.platform) };
          socket.end(encodeFrame({ type: 'end' }));
        } else {
          finish();
        }
        return 0;
      },
      body: () => {},
      bodyEnd: () => {},
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch {
        finish();
      }
    });
  });
}
