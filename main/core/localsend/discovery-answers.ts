// How LocalSend discovery talks back: answering an announcement with a register over HTTPS pinned
// to the announced fingerprint, falling back to a UDP `announce: false` for apps that cannot take
// one (1.17 does the same), and asking a device silent for a while whether it is still there.
// Every reply is bounded, since anyone can send announcements with any fingerprint and source:
// a few registers at a time, one per device per gap, and a small budget of UDP answers.

import { systemClock, TokenBucket, type Clock, type Rate } from '../discovery/rate-limit.js';
import { FerryError } from '../errors.js';
import type { TlsCredentials } from '../security/certificate.js';
import { majorVersion, ownAnnounceDatagram, ownRegisterRequest, type Announce, type OwnDescription } from './announce.js';
import type { LocalSendPeer, LocalSendPeerTable } from './discovery-peers.js';
import { registerWith, REGISTER_TIMEOUT_MS } from './discovery-register.js';
import type { LocalSendDiscoveryCounters } from './discovery-status.js';
import { pinFor } from './https-client.js';

/** Registers at once: a flood of announcements costs at most this many connections. */
export const MAX_REGISTERS_IN_FLIGHT = 8;
/**
 * One device is asked at most once per this gap: a burst is three datagrams in 2.6 s, and
 * answering its first and last is enough (the last in case the first answer was lost).
 */
export const ANSWER_GAP_MS = 1_000;
/** UDP answers go to the whole group; a spoofed flood must not turn us into its amplifier. */
export const UDP_ANSWER_RATE: Rate = { perSecond: 2, burst: 10 };

/** What the answers need of the discovery that owns them. */
export interface AnswerContext {
  credentials: TlsCredentials;
  self: () => OwnDescription;
  /** Visible, running and with a server: false stops every answer, even one whose register is under way. */
  answering: () => boolean;
  table: LocalSendPeerTable;
  counters: LocalSendDiscoveryCounters;
  clock?: Clock;
  /** Sends to the group on the network of `address`. */
  reply: (bytes: Buffer, address: string) => Promise<void>;
}

export class Answers {
  private readonly inFlight = new Set<string>();
  /** When each device was last asked (an answer or a check): the gap runs from there. */
  private readonly lastAsked = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private readonly udpBudget: TokenBucket;
  private readonly clock: Clock;
  private abort = new AbortController();

  constructor(
    private readonly ctx: AnswerContext,
    private readonly options: { confirmAfterMs: number; registerTimeoutMs?: number },
  ) {
    this.clock = ctx.clock ?? systemClock;
    this.udpBudget = new TokenBucket(UDP_ANSWER_RATE, this.clock);
  }

  start(): void {
    this.abort = new AbortController();
  }

  /** Ends every register under way and waits for them to settle. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.pending]);
    this.lastAsked.clear();
  }

  /** A device left the table: its gap no longer matters. */
  forget(fingerprint: string): void {
    this.lastAsked.delete(fingerprint);
  }

  /** Answers an `announce: true` from `address` (the caller never passes an `announce: false`). */
  answer(a: Announce, address: string): void {
    if (!this.claim(a.fingerprint, ANSWER_GAP_MS)) return;
    this.track(a.fingerprint, this.answerOne(a, address));
  }

  /**
   * Asks every device silent for confirmAfterMs whether it is still there: LocalSend apps
   * announce only when started or refreshed, so silence alone does not mean gone. One that
   * answers stays; one that does not expires.
   */
  confirmSilent(): void {
    if (!this.ctx.answering()) return;
    for (const peer of this.ctx.table.silentFor(this.options.confirmAfterMs)) {
      if (peer.protocol !== 'https' || majorVersion(peer.version) < 2) continue;
      if (this.inFlight.size >= MAX_REGISTERS_IN_FLIGHT) return;
      if (this.claim(peer.fingerprint, this.options.confirmAfterMs)) this.track(peer.fingerprint, this.confirmOne(peer));
    }
  }

  private async answerOne(a: Announce, address: string): Promise<void> {
    // Only v2 apps have the register route, and only https ones a certificate to pin.
    if (a.protocol === 'https' && majorVersion(a.version) >= 2) {
      if (await this.register(a, address)) return;
    }
    if (!this.ctx.answering() || this.abort.signal.aborted) return;
    if (!this.udpBudget.take()) {
      this.ctx.counters.dropped.busy++;
      return;
    }
    // To the group, as 1.17 does: every app sharing the port on the sender's computer hears it,
    // where a unicast datagram would reach only one of them.
    this.ctx.counters.udpAnswers++;
    await this.ctx.reply(ownAnnounceDatagram(this.ctx.self(), false), address);
  }

  private async confirmOne(peer: LocalSendPeer): Promise<void> {
    await this.register(peer, peer.address);
  }

  /** Registers with the device; true when it answered as the device it claims to be, which the table records. */
  private async register(device: Omit<Announce, 'announce'>, address: string): Promise<boolean> {
    const c = this.ctx.counters;
    try {
      const info = await registerWith({ address, port: device.port, fingerprint: pinFor(device) }, ownRegisterRequest(this.ctx.self()), {
        credentials: this.ctx.credentials,
        timeoutMs: this.options.registerTimeoutMs ?? REGISTER_TIMEOUT_MS,
        signal: this.abort.signal,
      });
      c.registers.ok++;
      if (!this.abort.signal.aborted) this.ctx.table.see({ ...info, address, port: device.port, protocol: 'https', verified: true });
      return true;
    } catch (err) {
      if (this.abort.signal.aborted) return false;
      c.registers.failed++;
      c.registers.lastError = { address, message: (err as Error).message };
      // Whoever answers at that address is not the announced device: drop what the claim listed.
      if (err instanceof FerryError && err.code === 'IDENTITY_MISMATCH') {
        this.ctx.table.removeAt(device.fingerprint, address, device.port, 'identity-mismatch');
      }
      return false;
    }
  }

  /** Takes the device's slot: false when it is being asked, was asked within gapMs, or too many are. */
  private claim(fingerprint: string, gapMs: number): boolean {
    if (this.inFlight.has(fingerprint)) return false;
    const last = this.lastAsked.get(fingerprint);
    if (last !== undefined && this.clock.now() - last < gapMs) return false;
    if (this.inFlight.size >= MAX_REGISTERS_IN_FLIGHT) {
      this.ctx.counters.dropped.busy++;
      return false;
    }
    this.inFlight.add(fingerprint);
    return true;
  }

  private track(fingerprint: string, work: Promise<void>): void {
    const done = work
      .catch(() => {}) // every failure is counted where it happens
      .finally(() => {
        this.inFlight.delete(fingerprint);
        this.pending.delete(done);
        // Bounded by the table (entries leaving are forgotten); this only catches stragglers.
        if (this.lastAsked.size > 4 * 1024) this.lastAsked.clear();
        this.lastAsked.set(fingerprint, this.clock.now());
      });
    this.pending.add(done);
  }
}
