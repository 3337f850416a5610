"use strict";
// The discovery service: announces this device over UDP multicast (and subnet broadcast, for
// networks that drop multicast) on every usable IPv4 interface, answers queries, and keeps
// the peer table of who else does. It explains itself through snapshot(), in data form.
// It never connects to anyone: an announcement is a hint for the user, not an identity.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.Discovery = void 0;
const dgram = __importStar(require("node:dgram"));
const os = __importStar(require("node:os"));
const limits_js_1 = require("../protocol/limits.js");
const identity_js_1 = require("../transfer/identity.js");
const codec_js_1 = require("./codec.js");
const interfaces_js_1 = require("./interfaces.js");
const peer_table_js_1 = require("./peer-table.js");
const rate_limit_js_1 = require("./rate-limit.js");
const HINTS = {
    EADDRINUSE: 'another program holds the discovery port without sharing it',
    EADDRNOTAVAIL: 'the address is gone from this interface',
    ENETUNREACH: 'no route for multicast or broadcast on this interface',
    EHOSTUNREACH: 'no route for multicast or broadcast on this interface',
    ENETDOWN: 'the interface is down',
    ENODEV: 'the interface is gone',
    EPERM: 'blocked by a firewall or not permitted',
    EACCES: 'blocked by a firewall or not permitted',
    ENOBUFS: 'the system is out of buffers or multicast memberships',
};
function problem(err) {
    const e = err;
    const code = typeof e?.code === 'string' ? e.code : 'ERROR';
    const hint = HINTS[code];
    const message = e?.message ?? String(err);
    return { code, message: hint ? `${hint} (${message})` : message };
}
function sendStatus() {
    return { sent: 0, failed: 0, lastError: null };
}
class Discovery {
    options;
    table;
    limiter;
    clock;
    random;
    group;
    discoveryPort;
    intervalMs;
    rx = null;
    listenError = null;
    links = new Map();
    skipped = [];
    timers = new Set();
    answerTimer = null;
    lastAnswerAt = -Infinity;
    running = false;
    stopping = null;
    received = { datagrams: 0, announces: 0, queries: 0, goodbyes: 0, own: 0 };
    dropped = {
        oversized: 0,
        malformed: 0,
        version: 0,
        'unknown-kind': 0,
        'rate-limited': 0,
        'table-full': 0,
    };
    answers = 0;
    constructor(options) {
        this.options = options;
        this.clock = options.clock ?? rate_limit_js_1.systemClock;
        this.random = options.random ?? Math.random;
        this.group = options.group ?? codec_js_1.DISCOVERY_GROUP;
        this.discoveryPort = options.discoveryPort ?? codec_js_1.DISCOVERY_PORT;
        // Below 50 ms a misconfiguration would flood the network ourselves.
        this.intervalMs = Math.max(50, options.intervalMs ?? codec_js_1.ANNOUNCE_INTERVAL_MS);
        this.limiter = new rate_limit_js_1.IntakeLimiter(options.limits ?? rate_limit_js_1.DEFAULT_INTAKE_LIMITS, this.clock);
        this.table = new peer_table_js_1.PeerTable({
            selfId: options.identity.deviceId,
            expiryMs: codec_js_1.EXPIRY_INTERVALS * this.intervalMs,
            evictAfterMs: this.intervalMs,
            maxPeers: options.maxPeers,
            maxAddresses: options.maxAddresses,
            clock: this.clock,
            onEvent: options.onEvent,
        });
    }
    get announcing() {
        return this.options.port !== undefined;
    }
    /**
     * Binds the shared UDP port, joins the group on every chosen interface, and says hello:
     * an announce (when we have a port to announce) and a query, so everyone answers now
     * rather than at their next interval. Failures are recorded in snapshot(), never thrown:
     * discovery that half works is better than a receiver that does not start.
     */
    async start() {
        if (this.running || this.stopping)
            return;
        this.running = true;
        await this.bindListener();
        await this.refreshInterfaces();
        if (!this.running)
            return;
        if (this.announcing)
            void this.announce();
        void this.query();
        // A first datagram is the likeliest to be lost (switch ports and IGMP snooping settling).
        if (this.intervalMs > codec_js_1.STARTUP_REPEAT_MS) {
            this.after(codec_js_1.STARTUP_REPEAT_MS, () => void (this.announcing ? this.announce() : this.query()));
        }
        this.scheduleTick();
        const sweepEvery = Math.min(1_000, this.intervalMs / 2);
        const sweep = setInterval(() => this.table.sweep(), sweepEvery);
        sweep.unref();
        this.timers.add(sweep);
    }
    /** Says goodbye (when announcing and asked to), closes every socket and forgets all peers. */
    stop(opts = {}) {
        if (!this.running)
            return this.stopping ?? Promise.resolve();
        this.running = false;
        this.stopping = (async () => {
            for (const t of this.timers)
                clearTimeout(t);
            this.timers.clear();
            if (this.answerTimer)
                clearTimeout(this.answerTimer);
            this.answerTimer = null;
            if (this.announcing && opts.goodbye !== false) {
                const bye = this.sendAll(this.datagram('goodbye'));
                await Promise.race([bye, new Promise((r) => setTimeout(r, 500).unref())]);
            }
            await Promise.all([...this.links.values()].map((l) => this.closeLink(l)));
            this.links.clear();
            if (this.rx)
                await closeSocket(this.rx);
            this.rx = null;
            this.table.clear('stopped');
        })();
        return this.stopping;
    }
    peers() {
        return this.table.list();
    }
    /** The address to reach a peer at: one on a network we are on, most recently heard first. */
    addressFor(peer) {
        const ifaces = [...this.links.values()].map((l) => l.iface);
        return (peer.addresses.find((a) => (0, interfaces_js_1.interfaceFor)(a.address, ifaces)) ?? peer.addresses[0])?.address;
    }
    /** Asks everyone to announce themselves now. */
    query() {
        return this.sendAll(this.datagram('query'));
    }
    announce() {
        if (!this.announcing)
            return Promise.resolve();
        return this.sendAll(this.datagram('announce'));
    }
    snapshot() {
        return structuredClone({
            running: this.running,
            announcing: this.announcing,
            deviceId: this.options.identity.deviceId,
            group: this.group,
            port: this.discoveryPort,
            intervalMs: this.intervalMs,
            listen: { ok: this.rx !== null, error: this.listenError },
            interfaces: [...this.links.values()].map((l) => l.status),
            skipped: this.skipped,
            received: this.received,
            dropped: this.dropped,
            answers: this.answers,
            peers: this.table.size,
        });
    }
    /**
     * Follows interfaces coming and going (Wi-Fi joining, a VPN starting): called on every
     * tick, so a laptop that changes network is announced on the new one within an interval.
     */
    async refreshInterfaces() {
        if (!this.running)
            return;
        const table = (this.options.networkInterfaces ?? os.networkInterfaces)();
        const { use, skipped } = (0, interfaces_js_1.selectInterfaces)(table, this.options.interfaces);
        this.skipped = skipped;
        const wanted = new Map(use.map((i) => [i.name, i]));
        for (const [name, link] of this.links) {
            const now = wanted.get(name);
            if (!now || now.address !== link.iface.address || now.netmask !== link.iface.netmask) {
                this.links.delete(name);
                void this.closeLink(link);
            }
        }
        const opening = [];
        for (const iface of use) {
            if (!this.links.has(iface.name))
                opening.push(this.openLink(iface).ready);
        }
        await Promise.all(opening);
    }
    datagram(kind) {
        const { deviceId, deviceName } = this.options.identity;
        const base = { version: codec_js_1.DISCOVERY_VERSION, deviceId };
        if (kind !== 'announce')
            return (0, codec_js_1.encodeDatagram)({ kind, ...base });
        return (0, codec_js_1.encodeDatagram)({
            kind,
            ...base,
            deviceName,
            platform: this.options.platform ?? process.platform,
            appVersion: this.options.appVersion ?? identity_js_1.APP_VERSION,
            protocol: limits_js_1.PROTOCOL_VERSION,
            port: this.options.port,
        });
    }
    after(ms, fn) {
        const t = setTimeout(() => {
            this.timers.delete(t);
            if (this.running)
                fn();
        }, ms);
        t.unref();
        this.timers.add(t);
    }
    scheduleTick() {
        // ±10% so devices started together (a power cut, a classroom) drift apart.
        this.after(this.intervalMs * (0.9 + 0.2 * this.random()), () => {
            void this.refreshInterfaces().then(() => (this.running ? this.announce() : undefined));
            this.scheduleTick();
        });
    }
    async bindListener() {
        const rx = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        rx.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
        const ok = await new Promise((resolve) => {
            rx.once('error', (err) => {
                this.listenError = problem(err);
                resolve(false);
            });
            rx.bind({ port: this.discoveryPort, address: '0.0.0.0' }, () => resolve(true));
        });
        rx.removeAllListeners('error');
        rx.on('error', (err) => (this.listenError = problem(err)));
        rx.unref();
        if (ok && this.running)
            this.rx = rx;
        else
            await closeSocket(rx);
    }
    openLink(iface) {
        const status = {
            ...iface,
            joined: false,
            joinError: null,
            bindError: null,
            sends: { multicast: sendStatus(), broadcast: iface.broadcast && this.options.broadcast !== false ? sendStatus() : null },
            heard: 0,
        };
        if (this.rx && this.options.multicast !== false) {
            try {
                this.rx.addMembership(this.group, iface.address);
                status.joined = true;
            }
            catch (err) {
                // EADDRINUSE here means already joined on this interface (another address of it).
                status.joinError = problem(err);
            }
        }
        const socket = dgram.createSocket({ type: 'udp4' });
        socket.unref();
        const ready = new Promise((resolve) => {
            socket.once('error', (err) => {
                status.bindError = problem(err);
                resolve(false);
            });
            // Bound to the interface's address, so peers see us at the address they can reach
            // and the OS sends out of this interface.
            socket.bind({ address: iface.address, port: 0 }, () => {
                socket.removeAllListeners('error');
                socket.on('error', (err) => (status.sends.multicast.lastError = problem(err)));
                try {
                    socket.setMulticastInterface(iface.address);
                    socket.setMulticastTTL(1);
                    socket.setMulticastLoopback(true); // other instances on this machine hear us
                    socket.setBroadcast(true);
                    resolve(true);
                }
                catch (err) {
                    status.bindError = problem(err);
                    resolve(false);
                }
            });
        });
        const link = { iface, socket, ready, status };
        this.links.set(iface.name, link);
        return link;
    }
    async closeLink(link) {
        if (this.rx && link.status.joined) {
            try {
                this.rx.dropMembership(this.group, link.iface.address);
            }
            catch {
                // The interface is gone, and the membership with it.
            }
        }
        await link.ready;
        await closeSocket(link.socket);
    }
    async sendAll(bytes) {
        const sends = [];
        for (const link of this.links.values()) {
            sends.push(link.ready.then(async (ok) => {
                if (!ok)
                    return;
                const targets = [];
                const { multicast, broadcast } = link.status.sends;
                if (this.options.multicast !== false)
                    targets.push([this.group, multicast]);
                if (broadcast && link.iface.broadcast)
                    targets.push([link.iface.broadcast, broadcast]);
                await Promise.all(targets.map(([to, st]) => this.sendOne(link.socket, bytes, to, st)));
            }));
        }
        await Promise.all(sends);
    }
    sendOne(socket, bytes, to, st) {
        return new Promise((resolve) => {
            try {
                socket.send(bytes, this.discoveryPort, to, (err) => {
                    if (err) {
                        st.failed++;
                        st.lastError = problem(err);
                    }
                    else
                        st.sent++;
                    resolve();
                });
            }
            catch (err) {
                // A socket closed under us (an interface going away mid-send).
                st.failed++;
                st.lastError = problem(err);
                resolve();
            }
        });
    }
    onDatagram(msg, rinfo) {
        this.received.datagrams++;
        // Cheap checks first: a flood must cost a comparison and a counter, not a JSON parse.
        if (msg.length > codec_js_1.MAX_DATAGRAM_BYTES) {
            this.dropped.oversized++;
            return;
        }
        if (!this.limiter.allow(`${rinfo.address}:${rinfo.port}`)) {
            this.dropped['rate-limited']++;
            return;
        }
        const decoded = (0, codec_js_1.decodeDatagram)(msg);
        if (!decoded.ok) {
            this.dropped[decoded.reason]++;
            return;
        }
        const d = decoded.datagram;
        if (d.deviceId === this.options.identity.deviceId) {
            this.received.own++;
            return;
        }
        for (const link of this.links.values()) {
            if ((0, interfaces_js_1.interfaceFor)(rinfo.address, [link.iface])) {
                link.status.heard++;
                break;
            }
        }
        switch (d.kind) {
            case 'announce':
                this.received.announces++;
                if (this.table.observe(d, rinfo.address) === 'full')
                    this.dropped['table-full']++;
                break;
            case 'query':
                this.received.queries++;
                this.answerQuery();
                break;
            case 'goodbye':
                this.received.goodbyes++;
                this.table.remove(d.deviceId, 'goodbye');
                break;
        }
    }
    /**
     * Answers by multicast, not unicast: every instance on a machine shares the port, and only
     * one of them would get a unicast reply. Jittered so a network does not answer in one burst,
     * and at most once per MIN_ANSWER_GAP_MS however many queries arrive.
     */
    answerQuery() {
        if (!this.announcing || this.answerTimer || !this.running)
            return;
        const now = this.clock.now();
        const wait = Math.max(this.random() * codec_js_1.ANSWER_JITTER_MS, this.lastAnswerAt + codec_js_1.MIN_ANSWER_GAP_MS - now);
        this.answerTimer = setTimeout(() => {
            this.answerTimer = null;
            if (!this.running)
                return;
            this.lastAnswerAt = this.clock.now();
            this.answers++;
            void this.announce();
        }, wait);
        this.answerTimer.unref();
    }
}
exports.Discovery = Discovery;
function closeSocket(s) {
    return new Promise((resolve) => {
        try {
            s.close(() => resolve());
        }
        catch {
            resolve(); // never bound, or closed already
        }
    });
}
//# sourceMappingURL=discovery.js.map