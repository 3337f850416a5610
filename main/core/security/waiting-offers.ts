// Offers waiting for a person to answer, bounded. Anyone on the network can make offers,
// and each one that needs a decision is a dialog on someone's screen: without a bound, a
// single host (minting a new device identity per connection costs nothing) could bury the
// user in prompts, or hide a real offer among a hundred fake ones. Over the bound, an offer
// is declined at once, with a reason the sender sees, and never shown.

export const MAX_WAITING_PER_DEVICE = 2;
export const MAX_WAITING_PER_ADDRESS = 4;
export const MAX_WAITING = 16;

export interface WaitingLimits {
  perDevice: number;
  perAddress: number;
  total: number;
}

/** One admitted offer's place; give it back once it is answered or withdrawn. */
export interface WaitingSlot {
  release(): void;
}

export class WaitingOffers {
  private readonly byDevice = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private total = 0;
  private readonly limits: WaitingLimits;

  constructor(limits: Partial<WaitingLimits> = {}) {
    this.limits = {
      perDevice: limits.perDevice ?? MAX_WAITING_PER_DEVICE,
      perAddress: limits.perAddress ?? MAX_WAITING_PER_ADDRESS,
      total: limits.total ?? MAX_WAITING,
    };
  }

  /** A slot for an offer that will wait for an answer, or why it may not (decline with that). */
  admit(peer: { deviceId: string; address: string }): WaitingSlot | string {
    const l = this.limits;
    if ((this.byDevice.get(peer.deviceId) ?? 0) >= l.perDevice) {
      return `${l.perDevice} offers from this device are already waiting for an answer; try again once they are answered`;
    }
    if ((this.byAddress.get(peer.address) ?? 0) >= l.perAddress) {
      return `${l.perAddress} offers from this network address are already waiting for an answer; try again once they are answered`;
    }
    if (this.total >= l.total) return `${l.total} offers are already waiting for an answer; try again later`;
    bump(this.byDevice, peer.deviceId, 1);
    bump(this.byAddress, peer.address, 1);
    this.total++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        bump(this.byDevice, peer.deviceId, -1);
        bump(this.byAddress, peer.address, -1);
        this.total--;
      },
    };
  }

  get size(): number {
    return this.total;
  }
}

function bump(m: Map<string, number>, key: string, by: number): void {
  const n = (m.get(key) ?? 0) + by;
  if (n <= 0) m.delete(key);
  else m.set(key, n);
}
