"use strict";
// The discovery datagram: what an announce, query or goodbye looks like on the wire, every
// number that bounds it, and decodeDatagram, the one gate between a UDP payload and the peer
// table. docs/PROTOCOL.md §18 quotes these constants.
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_ADDRESSES_PER_PEER = exports.MAX_PEERS = exports.STARTUP_REPEAT_MS = exports.MIN_ANSWER_GAP_MS = exports.ANSWER_JITTER_MS = exports.EXPIRY_INTERVALS = exports.ANNOUNCE_INTERVAL_MS = exports.MAX_APP_VERSION_CHARS = exports.MAX_PLATFORM_CHARS = exports.MAX_DATAGRAM_BYTES = exports.DISCOVERY_PORT = exports.DISCOVERY_GROUP = exports.DISCOVERY_MAJOR = exports.DISCOVERY_VERSION = void 0;
exports.encodeDatagram = encodeDatagram;
exports.decodeDatagram = decodeDatagram;
const limits_js_1 = require("../protocol/limits.js");
const config_js_1 = require("../store/config.js");
/** Version of the datagram format (not of the transfer protocol, which `protocol` carries). */
exports.DISCOVERY_VERSION = '1.0';
exports.DISCOVERY_MAJOR = 1;
/**
 * In the link-local block (224.0.0.0/24): routers never forward it, and phones, Wi-Fi access
 * points and IGMP-snooping switches pass it without any membership report. IANA lists
 * 224.0.0.69–224.0.0.100 as unassigned; LocalSend squats on 224.0.0.167, so not that.
 */
exports.DISCOVERY_GROUP = '224.0.0.93';
/** UDP; the same number as the default TCP transfer port, so one firewall rule names both. */
exports.DISCOVERY_PORT = 33779;
/** Largest datagram we read. Ours stay well under 1 KiB; more is a stranger's or a newer peer's. */
exports.MAX_DATAGRAM_BYTES = 2048;
exports.MAX_PLATFORM_CHARS = 32;
exports.MAX_APP_VERSION_CHARS = 32;
/** How often a device that receives files announces itself. */
exports.ANNOUNCE_INTERVAL_MS = 5_000;
/** A peer not heard for this many intervals is gone (one or two lost datagrams are not). */
exports.EXPIRY_INTERVALS = 3;
/** Answers to a query are spread over this window so a whole network does not answer at once. */
exports.ANSWER_JITTER_MS = 500;
/**
 * However many queries arrive, a device answers at most once per this gap. So every answer
 * comes within max(ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS) of a query, which is what someone
 * looking for one name waits before deciding that nobody else has it.
 */
exports.MIN_ANSWER_GAP_MS = 500;
/** A newcomer repeats its first announce (or query) once after this, in case it was lost. */
exports.STARTUP_REPEAT_MS = 1_000;
exports.MAX_PEERS = 256;
exports.MAX_ADDRESSES_PER_PEER = 8;
const HEX64 = /^[0-9a-f]{64}$/;
const VERSION = /^([0-9]{1,4})\.[0-9]{1,4}$/;
const PLATFORM = /^[A-Za-z0-9._-]+$/;
const APP_VERSION = /^[A-Za-z0-9.+_-]+$/;
function encodeDatagram(d) {
    const base = { ferry: d.version, kind: d.kind, id: d.deviceId };
    const wire = d.kind === 'announce'
        ? { ...base, name: d.deviceName, platform: d.platform, app: d.appVersion, protocol: d.protocol, port: d.port }
        : base;
    return Buffer.from(JSON.stringify(wire), 'utf8');
}
const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Never throws: a datagram is whatever anyone on the network sent to the port, and a bad one
 * is dropped and counted, not reported. Unknown fields are ignored (minor versions add them).
 */
function decodeDatagram(bytes) {
    if (bytes.length > exports.MAX_DATAGRAM_BYTES)
        return { ok: false, reason: 'oversized' };
    let o;
    try {
        o = JSON.parse(utf8.decode(bytes));
    }
    catch {
        return { ok: false, reason: 'malformed' };
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o))
        return { ok: false, reason: 'malformed' };
    const r = o;
    // The version comes first: a newer major may have changed every other field.
    const version = r.ferry;
    const m = typeof version === 'string' ? VERSION.exec(version) : null;
    if (!m || typeof version !== 'string')
        return { ok: false, reason: 'malformed' };
    if (Number(m[1]) !== exports.DISCOVERY_MAJOR)
        return { ok: false, reason: 'version' };
    const kind = r.kind;
    if (typeof kind !== 'string')
        return { ok: false, reason: 'malformed' };
    if (kind !== 'announce' && kind !== 'query' && kind !== 'goodbye')
        return { ok: false, reason: 'unknown-kind' };
    const deviceId = r.id;
    if (typeof deviceId !== 'string' || !HEX64.test(deviceId))
        return { ok: false, reason: 'malformed' };
    if (kind !== 'announce')
        return { ok: true, datagram: { kind, version, deviceId } };
    const { name, platform, app, protocol, port } = r;
    if (typeof name !== 'string' || name.length === 0 || name.length > limits_js_1.MAX_NAME_CHARS)
        return { ok: false, reason: 'malformed' };
    if (!shortToken(platform, exports.MAX_PLATFORM_CHARS, PLATFORM))
        return { ok: false, reason: 'malformed' };
    if (!shortToken(app, exports.MAX_APP_VERSION_CHARS, APP_VERSION))
        return { ok: false, reason: 'malformed' };
    if (typeof protocol !== 'string' || !VERSION.test(protocol))
        return { ok: false, reason: 'malformed' };
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
        return { ok: false, reason: 'malformed' };
    return {
        ok: true,
        datagram: {
            kind,
            version,
            deviceId,
            // Names reach terminals and the UI: strip controls and bidi overrides once, here.
            deviceName: (0, config_js_1.cleanDeviceName)(name),
            platform,
            appVersion: app,
            protocol,
            port,
        },
    };
}
function shortToken(v, max, pattern) {
    return typeof v === 'string' && v.length > 0 && v.length <= max && pattern.test(v);
}
//# sourceMappingURL=codec.js.map