// Ferry's own protocol (docs/PROTOCOL.md) as the app layer's Transport. The receiving and the
// sending side are loaded when first used: `ferry send` never loads the receiver's modules,
// nor `ferry receive` the sender's, and a process start is dozens of modules shorter.

import type { Transport } from '../model/transport.js';
import { probePeer } from './probe.js';
import { collectSource } from './source.js';

export const ferryTransport: Transport = {
  protocol: 'ferry',

  collect: (paths) => collectSource(paths),

  async listen(r) {
    const { Receiver } = await import('./receiver.js');
    const receiver = new Receiver({
      dir: r.dir,
      identity: r.identity,
      host: r.host,
      port: r.port,
      decide: r.decide,
      onEvent: r.onEvent,
      secret: r.secret,
      trust: r.trust,
    });
    await receiver.listen();
    return receiver;
  },

  async send(r) {
    const { sendFiles } = await import('./sender.js');
    return sendFiles({
      host: r.host,
      port: r.port,
      source: r.source,
      ...(r.text !== undefined ? { text: r.text } : {}),
      identity: r.identity,
      transferId: r.transferId,
      ...(r.expectDeviceId ? { expectDeviceId: r.expectDeviceId } : {}),
      ...(r.retries !== undefined ? { retries: r.retries } : {}),
      secret: r.secret,
      trust: r.trust,
      signal: r.signal,
      onEvent: r.onEvent,
    });
  },

  probe: (host, port, identity, signal) => probePeer(host, port, identity, signal),
};
