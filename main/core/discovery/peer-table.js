"use strict";
// Who is out there: the devices heard announcing, keyed by device id, each with every address
// it was heard from. Bounded in peers and in addresses per peer; entries expire when their
// announcements stop. It only records: nothing here ever connects to a peer.
Object.defineProperty(exports, "__esModule", { value: true });
exports.PeerTable = void 0;
const codec_js_1 = require("./codec.js");
const rate_limit_js_1 = require("./rate-limit.js");
const FIELDS = ['name', 'platform', 'appVersion', 'protocol', 'port'];
class PeerTable {
    options;
    /** Insertion order is kept equal to last-seen order, so the first entry is the stalest. */
    entries = new Map();
    expiryMs;
    evictAfterMs;
    maxPeers;
    maxAddresses;
    clock;
    emit;
    constructor(options) {
        this.options = options;
        this.expiryMs = options.expiryMs ?? codec_js_1.EXPIRY_INTERVALS * codec_js_1.ANNOUNCE_INTERVAL_MS;
        this.evictAfterMs = options.evictAfterMs ?? this.expiryMs / codec_js_1.EXPIRY_INTERVALS;
        this.maxPeers = options.maxPeers ?? codec_js_1.MAX_PEERS;
        this.maxAddresses = options.maxAddresses ?? codec_js_1.MAX_ADDRESSES_PER_PEER;
        this.clock = options.clock ?? rate_limit_js_1.systemClock;
        this.emit = options.onEvent ?? (() => { });
    }
    get size() {
        return this.entries.size;
    }
    get(id) {
        const e = this.entries.get(id);
        return e && copy(e);
    }
    /** Most recently heard first. */
    list() {
        return [...this.entries.values()].reverse().map(copy);
    }
    observe(a, address) {
        if (a.deviceId === this.options.selfId)
            return 'own';
        const now = this.clock.now();
        const known = this.entries.get(a.deviceId);
        if (!known) {
            if (this.entries.size >= this.maxPeers && !this.evictStalest(now))
                return 'full';
            const e = {
                id: a.deviceId,
                name: a.deviceName,
                platform: a.platform,
                appVersion: a.appVersion,
                protocol: a.protocol,
                port: a.port,
                addresses: [{ address, lastSeen: now }],
                firstSeen: now,
                lastSeen: now,
            };
            this.entries.set(e.id, e);
            this.emit({ event: 'peer-added', peer: copy(e) });
            return 'added';
        }
        const incoming = { name: a.deviceName, platform: a.platform, appVersion: a.appVersion, protocol: a.protocol, port: a.port };
        const changed = [];
        for (const f of FIELDS) {
            if (known[f] !== incoming[f])
                changed.push(f);
        }
        Object.assign(known, incoming);
        const i = known.addresses.findIndex((x) => x.address === address);
        if (i >= 0)
            known.addresses.splice(i, 1);
        else {
            changed.push('addresses');
            if (known.addresses.length >= this.maxAddresses)
                known.addresses.pop();
        }
        known.addresses.unshift({ address, lastSeen: now });
        known.lastSeen = now;
        this.entries.delete(known.id);
        this.entries.set(known.id, known);
        if (changed.length === 0)
            return 'refreshed';
        this.emit({ event: 'peer-updated', peer: copy(known), changed });
        return 'updated';
    }
    remove(id, reason) {
        const e = this.entries.get(id);
        if (!e)
            return false;
        this.entries.delete(id);
        this.emit({ event: 'peer-removed', peer: copy(e), reason });
        return true;
    }
    /** Drops peers and addresses silent for longer than the expiry; call it every second or so. */
    sweep() {
        const now = this.clock.now();
        for (const e of [...this.entries.values()]) {
            if (now - e.lastSeen > this.expiryMs) {
                this.remove(e.id, 'expired');
                continue;
            }
            const before = e.addresses.length;
            e.addresses = e.addresses.filter((x) => now - x.lastSeen <= this.expiryMs);
            if (e.addresses.length !== before)
                this.emit({ event: 'peer-updated', peer: copy(e), changed: ['addresses'] });
        }
    }
    clear(reason) {
        for (const id of [...this.entries.keys()])
            this.remove(id, reason);
    }
    evictStalest(now) {
        const first = this.entries.values().next();
        if (first.done || now - first.value.lastSeen < this.evictAfterMs)
            return false;
        this.remove(first.value.id, 'evicted');
        return true;
    }
}
exports.PeerTable = PeerTable;
function copy(e) {
    return { ...e, addresses: e.addresses.map((a) => ({ ...a })) };
}
//# sourceMappingURL=peer-table.js.map