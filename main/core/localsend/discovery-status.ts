// What LocalSend discovery did, in data form, for the troubleshooting view: whether the shared
// UDP port is bound (a LocalSend app on this computer may hold it without sharing), each
// interface's membership and sends, and why datagrams were dropped or answers failed.

import type { InterfaceStatus, Problem, SkippedInterface } from '../contract/discovery-status.js';

export interface LocalSendDiscoveryCounters {
  received: {
    datagrams: number;
    /** announce: true, from another device. */
    announcements: number;
    /** announce: false (a 1.17 app's UDP answer). */
    answers: number;
    /** Our own, back through multicast loopback. */
    own: number;
  };
  dropped: {
    oversized: number;
    'rate-limited': number;
    /** Not a LocalSend announcement (lastRefused says why). */
    malformed: number;
    'table-full': number;
    /** Not answered: too many registers in flight, or the UDP answer budget spent (a flood). */
    busy: number;
  };
  /** Our registers with other devices (answers to their announcements and checks that they are still there). */
  registers: { ok: number; failed: number; lastError: { address: string; message: string } | null };
  /** announce: false datagrams sent because a register failed. */
  udpAnswers: number;
  lastRefused: { address: string; message: string } | null;
}

export interface LocalSendDiscoverySnapshot extends LocalSendDiscoveryCounters {
  running: boolean;
  visible: boolean;
  /** Visible, and with a server to announce: we announce and answer. */
  announcing: boolean;
  fingerprint: string;
  group: string;
  /** UDP port. */
  port: number;
  /** Our LocalSend server's TCP port, as announced (null: no server, listening only). */
  serverPort: number | null;
  listen: { ok: boolean; error: Problem | null };
  interfaces: InterfaceStatus[];
  skipped: SkippedInterface[];
  peers: number;
}

export function emptyCounters(): LocalSendDiscoveryCounters {
  return {
    received: { datagrams: 0, announcements: 0, answers: 0, own: 0 },
    dropped: { oversized: 0, 'rate-limited': 0, malformed: 0, 'table-full': 0, busy: 0 },
    registers: { ok: 0, failed: 0, lastError: null },
    udpAnswers: 0,
    lastRefused: null,
  };
}
