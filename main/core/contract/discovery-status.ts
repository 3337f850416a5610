// The discovery troubleshooting view's types, free of Node imports so that every UI (the
// renderer included) can type-check them through the contract.

export type DecodeFailure = 'oversized' | 'malformed' | 'version' | 'unknown-kind';

export interface NetInterface {
  name: string;
  /** The interface's first IPv4 address: we join, send and are seen from it. */
  address: string;
  netmask: string;
  /** Subnet broadcast address, or null where there is none (/31, /32, point-to-point VPNs). */
  broadcast: string | null;
  internal: boolean;
}

export interface SkippedInterface {
  name: string;
  reason: 'no IPv4 address' | 'loopback' | 'not selected' | 'not found';
}

export type DropReason = DecodeFailure | 'rate-limited' | 'table-full';

export interface Problem {
  /** errno code (EADDRINUSE, ENETUNREACH, …) or ours. */
  code: string;
  message: string;
}

export interface SendStatus {
  /** Datagrams handed to the OS and accepted by it. */
  sent: number;
  failed: number;
  lastError: Problem | null;
}

export interface InterfaceStatus extends NetInterface {
  /** We joined the multicast group on it, so we hear multicast from its network. */
  joined: boolean;
  joinError: Problem | null;
  /** Our sending socket could not be bound to the interface's address. */
  bindError: Problem | null;
  /** What we sent to the group and to the subnet broadcast address (null: none to send to). */
  sends: { multicast: SendStatus; broadcast: SendStatus | null };
  /** Datagrams received from an address in its subnet. */
  heard: number;
}

/** The troubleshooting view: enough for a UI to say why nobody shows up. */
export interface DiscoverySnapshot {
  running: boolean;
  announcing: boolean;
  deviceId: string;
  group: string;
  port: number;
  intervalMs: number;
  /** Whether we hear anything at all: the shared UDP port is bound. */
  listen: { ok: boolean; error: Problem | null };
  interfaces: InterfaceStatus[];
  skipped: SkippedInterface[];
  received: { datagrams: number; announces: number; queries: number; goodbyes: number; own: number };
  dropped: Record<DropReason, number>;
  /** Announces sent because someone asked. */
  answers: number;
  peers: number;
}
