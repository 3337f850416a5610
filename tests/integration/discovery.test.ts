// Peer discovery: the datagram codec, the peer table (on a fake clock, no sleeping), manual
// peers, two real Discovery instances on loopback, and the `ferry` commands that use it.
// Every datagram stays on loopback, on a UDP port chosen per run.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  decodeDatagram,
  DISCOVERY_GROUP,
  encodeDatagram,
  MAX_ADDRESSES_PER_PEER,
  MAX_DATAGRAM_BYTES,
  MAX_PEERS,
  MIN_ANSWER_GAP_MS,
  type Announce,
  type Datagram,
  type DecodeFailure,
} from '../../main/core/discovery/codec.js';
import { Discovery, type DiscoveryOptions } from '../../main/core/discovery/discovery.js';
import { formatHostPort, parseHostPort } from '../../main/core/contract/host-port.js';
import { broadcastAddress, interfaceFor, selectInterfaces, type InterfaceTable } from '../../main/core/discovery/interfaces.js';
import { ManualPeers, tcpProbe } from '../../main/core/discovery/manual-peers.js';
import { PeerTable, type DiscoveryEvent } from '../../main/core/discovery/peer-table.js';
import { IntakeLimiter, TokenBucket } from '../../main/core/discovery/rate-limit.js';
import {
  freeTcpPort,
  freeUdpPort,
  md5File,
  onCleanup,
  randomFile,
  runCli,
  startCli,
  startReceiverCli,
  tempDir,
  waitUntil,
} from '../helpers.js';

const hex64 = (): string => randomBytes(32).toString('hex');
const me = (name = 'test device'): { deviceId: string; deviceName: string } => ({ deviceId: hex64(), deviceName: name });

function announce(over: Partial<Announce> = {}): Announce {
  return {
    kind: 'announce',
    version: '1.0',
    deviceId: hex64(),
    deviceName: 'Alice laptop',
    platform: 'linux',
    appVersion: '0.1.0',
    protocol: '1.0',
    port: 33779,
    ...over,
  };
}

const wire = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
const validWire = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  ferry: '1.0',
  kind: 'announce',
  id: hex64(),
  name: 'Bob',
  platform: 'darwin',
  app: '0.1.0',
  protocol: '1.0',
  port: 33779,
  ...over,
});

class FakeClock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

describe('discovery datagram codec', () => {
  test('round-trips announce, query and goodbye', () => {
    const id = hex64();
    const datagrams: Datagram[] = [
      announce({ deviceId: id }),
      { kind: 'query', version: '1.0', deviceId: id },
      { kind: 'goodbye', version: '1.0', deviceId: id },
    ];
    for (const d of datagrams) assert.deepEqual(decodeDatagram(encodeDatagram(d)), { ok: true, datagram: d });
  });

  test('writes the documented field names', () => {
    const a = announce({ deviceId: 'a'.repeat(64), deviceName: 'Alice', port: 40000 });
    assert.equal(
      encodeDatagram(a).toString(),
      `{"ferry":"1.0","kind":"announce","id":"${'a'.repeat(64)}","name":"Alice","platform":"linux","app":"0.1.0","protocol":"1.0","port":40000}`,
    );
  });

  test('the largest announce we can write fits in 1 KiB', () => {
    // Lone surrogates are escaped by JSON.stringify as six bytes each: the worst case per character.
    const name = '\ud800'.repeat(64);
    const bytes = encodeDatagram(
      announce({ deviceName: name, platform: 'p'.repeat(32), appVersion: 'v'.repeat(32), protocol: '9999.9999' }),
    );
    assert.ok(bytes.length <= 1024, `${bytes.length} bytes`);
  });

  const bad: Array<[string, Buffer, DecodeFailure]> = [
    ['empty', Buffer.alloc(0), 'malformed'],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'malformed'],
    ['not JSON', Buffer.from('hello'), 'malformed'],
    ['truncated JSON', wire(validWire()).subarray(0, 40), 'malformed'],
    ['a JSON array', wire([1, 2]), 'malformed'],
    ['JSON null', wire(null), 'malformed'],
    ['a JSON string', wire('ferry'), 'malformed'],
    ['no version (another app on the group)', wire({ kind: 'announce', id: hex64() }), 'malformed'],
    ['a numeric version', wire(validWire({ ferry: 1 })), 'malformed'],
    ['a version that is not MAJOR.MINOR', wire(validWire({ ferry: 'v1' })), 'malformed'],
    ['unknown major version 2', wire(validWire({ ferry: '2.0' })), 'version'],
    ['unknown major version 0', wire(validWire({ ferry: '0.9' })), 'version'],
    ['unknown major, fields of another shape', wire({ ferry: '2.0', everything: ['else'] }), 'version'],
    ['an unknown kind', wire(validWire({ kind: 'hello' })), 'unknown-kind'],
    ['no kind', wire(validWire({ kind: undefined })), 'malformed'],
    ['no id', wire(validWire({ id: undefined })), 'malformed'],
    ['an upper-case id', wire(validWire({ id: hex64().toUpperCase() })), 'malformed'],
    ['a short id', wire(validWire({ id: 'ab'.repeat(31) })), 'malformed'],
    ['a query without id', wire({ ferry: '1.0', kind: 'query' }), 'malformed'],
    ['an empty name', wire(validWire({ name: '' })), 'malformed'],
    ['a 65-character name', wire(validWire({ name: 'n'.repeat(65) })), 'malformed'],
    ['a numeric name', wire(validWire({ name: 42 })), 'malformed'],
    ['no platform', wire(validWire({ platform: undefined })), 'malformed'],
    ['a platform with spaces', wire(validWire({ platform: 'linux x' })), 'malformed'],
    ['a 33-character platform', wire(validWire({ platform: 'p'.repeat(33) })), 'malformed'],
    ['an app version with a newline', wire(validWire({ app: '1.0\n' })), 'malformed'],
    ['a protocol that is not MAJOR.MINOR', wire(validWire({ protocol: '1' })), 'malformed'],
    ['port 0', wire(validWire({ port: 0 })), 'malformed'],
    ['port 65536', wire(validWire({ port: 65536 })), 'malformed'],
    ['a fractional port', wire(validWire({ port: 337.79 })), 'malformed'],
    ['a port as a string', wire(validWire({ port: '33779' })), 'malformed'],
    ['2049 bytes', wire(validWire({ pad: 'x'.repeat(MAX_DATAGRAM_BYTES) })).subarray(0, MAX_DATAGRAM_BYTES + 1), 'oversized'],
    ['64 KiB', Buffer.alloc(65_000, 0x20), 'oversized'],
  ];
  for (const [what, bytes, reason] of bad) {
    test(`drops ${what} (${reason})`, () => {
      assert.deepEqual(decodeDatagram(bytes), { ok: false, reason });
    });
  }

  test('accepts a newer minor version and ignores fields it does not know, up to 2 KiB', () => {
    const o = validWire({ ferry: '1.7', extra: { nested: true } });
    const base = wire(o).length;
    const padded = wire({ ...o, pad: 'x'.repeat(MAX_DATAGRAM_BYTES - base - ',"pad":""'.length) });
    assert.equal(padded.length, MAX_DATAGRAM_BYTES);
    const d = decodeDatagram(padded);
    assert.ok(d.ok && d.datagram.kind === 'announce' && d.datagram.version === '1.7' && d.datagram.deviceName === 'Bob');
  });

  test('cleans control characters and bidi overrides out of names', () => {
    const d = decodeDatagram(wire(validWire({ name: '\u001b[31mEvil\u202e gpj.exe' })));
    assert.ok(d.ok && d.datagram.kind === 'announce');
    assert.equal(d.datagram.deviceName, '[31mEvil gpj.exe');
  });
});

describe('peer table', () => {
  function setup(opts: { maxPeers?: number; maxAddresses?: number } = {}) {
    const clock = new FakeClock();
    const events: DiscoveryEvent[] = [];
    const self = hex64();
    const table = new PeerTable({ selfId: self, expiryMs: 15_000, evictAfterMs: 5_000, clock, onEvent: (e) => events.push(e), ...opts });
    return { clock, events, self, table };
  }

  test('adds a peer once, refreshes it silently, and reports what changed', () => {
    const { table, events, clock } = setup();
    const a = announce();
    assert.equal(table.observe(a, '192.168.1.20'), 'added');
    clock.advance(5_000);
    assert.equal(table.observe(a, '192.168.1.20'), 'refreshed');
    assert.equal(table.observe({ ...a, deviceName: 'Alice desktop', port: 40000 }, '192.168.1.20'), 'updated');
    assert.deepEqual(
      events.map((e) => [e.event, e.event === 'peer-updated' ? e.changed : null]),
      [
        ['peer-added', null],
        ['peer-updated', ['name', 'port']],
      ],
    );
    const p = table.get(a.deviceId)!;
    assert.equal(p.name, 'Alice desktop');
    assert.equal(p.port, 40000);
    assert.equal(p.firstSeen, 1_000_000);
    assert.equal(p.lastSeen, 1_005_000);
  });

  test('events carry copies: a host cannot change the table through them', () => {
    const { table, events } = setup();
    const a = announce();
    table.observe(a, '10.0.0.1');
    const added = events[0]!;
    added.peer.name = 'changed';
    added.peer.addresses.length = 0;
    assert.equal(table.get(a.deviceId)!.name, 'Alice laptop');
    assert.equal(table.get(a.deviceId)!.addresses.length, 1);
  });

  test('keeps every address a peer was heard from, most recent first, at most 8', () => {
    const { table, events, clock } = setup();
    const a = announce();
    table.observe(a, '192.168.1.20');
    clock.advance(10);
    table.observe(a, '10.8.0.5');
    assert.deepEqual(
      table.get(a.deviceId)!.addresses.map((x) => x.address),
      ['10.8.0.5', '192.168.1.20'],
    );
    const last = events.at(-1)!;
    assert.deepEqual(last.event === 'peer-updated' && last.changed, ['addresses']);
    clock.advance(10);
    table.observe(a, '192.168.1.20');
    assert.deepEqual(
      table.get(a.deviceId)!.addresses.map((x) => x.address),
      ['192.168.1.20', '10.8.0.5'],
    );
    for (let i = 0; i < 20; i++) table.observe(a, `172.16.0.${i}`);
    const addrs = table.get(a.deviceId)!.addresses.map((x) => x.address);
    assert.equal(addrs.length, MAX_ADDRESSES_PER_PEER);
    assert.equal(addrs[0], '172.16.0.19');
  });

  test('a peer silent for three intervals expires; one heard in time does not', () => {
    const { table, events, clock } = setup();
    const quiet = announce({ deviceName: 'quiet' });
    const chatty = announce({ deviceName: 'chatty' });
    table.observe(quiet, '10.0.0.1');
    table.observe(chatty, '10.0.0.2');
    for (let i = 0; i < 3; i++) {
      clock.advance(5_000);
      table.observe(chatty, '10.0.0.2');
      table.sweep();
    }
    assert.equal(table.size, 2, 'exactly three intervals is not yet gone');
    clock.advance(1);
    table.sweep();
    assert.deepEqual(
      table.list().map((p) => p.name),
      ['chatty'],
    );
    const removed = events.find((e) => e.event === 'peer-removed');
    assert.ok(removed && removed.event === 'peer-removed' && removed.reason === 'expired' && removed.peer.name === 'quiet');
  });

  test('an address not heard for three intervals is dropped; the peer stays', () => {
    const { table, events, clock } = setup();
    const a = announce();
    table.observe(a, '192.168.1.20');
    table.observe(a, '10.8.0.5');
    for (let i = 0; i < 4; i++) {
      clock.advance(5_000);
      table.observe(a, '192.168.1.20');
      table.sweep();
    }
    assert.deepEqual(
      table.get(a.deviceId)!.addresses.map((x) => x.address),
      ['192.168.1.20'],
    );
    const last = events.at(-1)!;
    assert.ok(last.event === 'peer-updated' && last.changed.includes('addresses'));
  });

  test('goodbye removes a peer at once', () => {
    const { table, events } = setup();
    const a = announce();
    table.observe(a, '10.0.0.1');
    assert.equal(table.remove(a.deviceId, 'goodbye'), true);
    assert.equal(table.size, 0);
    assert.ok(events.some((e) => e.event === 'peer-removed' && e.reason === 'goodbye'));
    assert.equal(table.remove(a.deviceId, 'goodbye'), false, 'a second goodbye is nothing');
  });

  test('ignores its own announcements', () => {
    const { table, events, self } = setup();
    assert.equal(table.observe(announce({ deviceId: self }), '127.0.0.1'), 'own');
    assert.equal(table.size, 0);
    assert.equal(events.length, 0);
  });

  test('when full, makes room only by evicting a peer silent for an interval', () => {
    const { table, events, clock } = setup({ maxPeers: 3 });
    const peers = [announce(), announce(), announce()];
    for (const p of peers) table.observe(p, '10.0.0.1');
    assert.equal(table.observe(announce(), '10.0.0.2'), 'full', 'everyone was heard just now');
    clock.advance(5_000);
    table.observe(peers[0]!, '10.0.0.1');
    table.observe(peers[2]!, '10.0.0.1');
    const newcomer = announce();
    assert.equal(table.observe(newcomer, '10.0.0.2'), 'added');
    const evicted = events.find((e) => e.event === 'peer-removed');
    assert.ok(evicted && evicted.event === 'peer-removed' && evicted.reason === 'evicted' && evicted.peer.id === peers[1]!.deviceId);
    assert.equal(table.size, 3);
  });

  test('50,000 announcements with random ids keep the table at 256 peers, quickly', () => {
    const { table, clock } = setup();
    const live = announce({ deviceName: 'live' });
    const started = performance.now();
    let full = 0;
    for (let i = 0; i < 50_000; i++) {
      if (i % 1000 === 0) {
        clock.advance(1_000);
        table.observe(live, '10.0.0.9');
        table.sweep();
      }
      if (table.observe(announce({ deviceName: `flood ${i}` }), `10.1.${(i >> 8) & 255}.${i & 255}`) === 'full') full++;
    }
    assert.equal(table.size, MAX_PEERS);
    assert.ok(table.get(live.deviceId), 'a peer that keeps announcing is never evicted by a flood');
    assert.ok(full > 40_000, `${full} refused`);
    assert.ok(performance.now() - started < 2_000, `${performance.now() - started} ms`);
  });
});

describe('discovery budgets and interfaces', () => {
  test('a token bucket allows its burst, then its rate', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ perSecond: 10, burst: 5 }, clock);
    let n = 0;
    for (let i = 0; i < 100; i++) if (b.take()) n++;
    assert.equal(n, 5);
    clock.advance(1_000);
    n = 0;
    for (let i = 0; i < 100; i++) if (b.take()) n++;
    assert.equal(n, 5, 'refills up to the burst, not beyond');
    clock.advance(-60_000);
    assert.equal(b.take(), false, 'a clock stepping back mints nothing');
  });

  test('one noisy source cannot use up the budget of everyone else', () => {
    const clock = new FakeClock();
    const limiter = new IntakeLimiter(
      { global: { perSecond: 100, burst: 100 }, perSource: { perSecond: 10, burst: 10 }, maxSources: 4 },
      clock,
    );
    let noisy = 0;
    for (let i = 0; i < 1000; i++) if (limiter.allow('10.0.0.66:5000')) noisy++;
    assert.equal(noisy, 10);
    assert.equal(limiter.allow('10.0.0.7:5000'), true);
    for (let i = 0; i < 100; i++) limiter.allow(`10.0.1.${i}:5000`); // more sources than tracked: forgets, stays bounded
    assert.equal(limiter.allow('10.0.0.8:5000'), false, 'the global budget still holds');
  });

  const machine: InterfaceTable = {
    lo: [
      { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
      {
        address: '::1',
        netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
        family: 'IPv6',
        mac: '00:00:00:00:00:00',
        internal: true,
        cidr: '::1/128',
        scopeid: 0,
      },
    ],
    eth0: [
      {
        address: '192.168.1.20',
        netmask: '255.255.255.0',
        family: 'IPv4',
        mac: '02:00:00:00:00:01',
        internal: false,
        cidr: '192.168.1.20/24',
      },
    ],
    wg0: [
      { address: '10.8.0.5', netmask: '255.255.255.255', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: '10.8.0.5/32' },
    ],
    v6only: [
      {
        address: 'fe80::1',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '02:00:00:00:00:02',
        internal: false,
        cidr: 'fe80::1/64',
        scopeid: 3,
      },
    ],
  };

  test('uses every IPv4 interface that is not loopback, and says why it skips the others', () => {
    const { use, skipped } = selectInterfaces(machine);
    assert.deepEqual(
      use.map((i) => [i.name, i.address, i.broadcast]),
      [
        ['eth0', '192.168.1.20', '192.168.1.255'],
        ['wg0', '10.8.0.5', null],
      ],
    );
    assert.deepEqual(skipped, [
      { name: 'lo', reason: 'loopback' },
      { name: 'v6only', reason: 'no IPv4 address' },
    ]);
    assert.deepEqual(
      selectInterfaces(machine, { loopback: true }).use.map((i) => i.name),
      ['lo', 'eth0', 'wg0'],
    );
  });

  test('can be limited to named interfaces, or to loopback', () => {
    assert.deepEqual(
      selectInterfaces(machine, { only: ['loopback'] }).use.map((i) => [i.name, i.broadcast]),
      [['lo', '127.255.255.255']],
    );
    const { use, skipped } = selectInterfaces(machine, { only: ['eth0', 'wlan9'] });
    assert.deepEqual(
      use.map((i) => i.name),
      ['eth0'],
    );
    assert.ok(skipped.some((s) => s.name === 'wlan9' && s.reason === 'not found'));
    assert.ok(skipped.some((s) => s.name === 'lo' && s.reason === 'not selected'));
  });

  test('computes subnet broadcast addresses and which interface a source is on', () => {
    assert.equal(broadcastAddress('10.1.2.3', '255.255.0.0'), '10.1.255.255');
    assert.equal(broadcastAddress('172.16.5.9', '255.255.255.240'), '172.16.5.15');
    assert.equal(broadcastAddress('10.0.0.1', '255.255.255.254'), null);
    assert.equal(broadcastAddress('nonsense', '255.0.0.0'), null);
    const { use } = selectInterfaces(machine, { loopback: true });
    assert.equal(interfaceFor('192.168.1.77', use)?.name, 'eth0');
    assert.equal(interfaceFor('127.0.0.1', use)?.name, 'lo');
    assert.equal(interfaceFor('8.8.8.8', use), undefined);
  });

  test('parses HOST:PORT as users type it', () => {
    assert.deepEqual(parseHostPort('192.168.1.20:33779'), { host: '192.168.1.20', port: 33779 });
    assert.deepEqual(parseHostPort('nas.local:40000'), { host: 'nas.local', port: 40000 });
    assert.deepEqual(parseHostPort('[fe80::1%eth0]:33779'), { host: 'fe80::1%eth0', port: 33779 });
    for (const bad of ['nas.local', ':33779', 'nas:0', 'nas:65536', 'a b:1', '[nas]:1', 'fe80::1:33779', '-x:1', `${'a'.repeat(64)}:1`]) {
      assert.equal(parseHostPort(bad), null, bad);
    }
    assert.equal(formatHostPort({ host: 'fe80::1', port: 1 }), '[fe80::1]:1');
  });
});

describe('manual peers', () => {
  test('keeps HOST:PORT entries in peers.json, once each, across restarts', async () => {
    const configDir = await tempDir();
    const probe = async () => null;
    const a = new ManualPeers({ configDir, probe });
    await a.add('192.168.1.20:33779');
    await a.add('nas.local:40000');
    await a.add('192.168.1.20:33779');
    const file = JSON.parse(await fs.readFile(path.join(configDir, 'peers.json'), 'utf8'));
    assert.deepEqual(file, {
      version: 1,
      peers: [
        { host: '192.168.1.20', port: 33779 },
        { host: 'nas.local', port: 40000 },
      ],
    });
    assert.deepEqual(
      (await fs.readdir(configDir)).filter((f) => f.endsWith('.tmp')),
      [],
      'written atomically, nothing left over',
    );
    const b = new ManualPeers({ configDir, probe });
    assert.deepEqual(
      (await b.load()).map((p) => formatHostPort(p)),
      ['192.168.1.20:33779', 'nas.local:40000'],
    );
    assert.equal(await b.remove('NAS.local:40000'), true);
    assert.equal(await b.remove('nas.local:40000'), false);
    assert.deepEqual(
      (await new ManualPeers({ configDir, probe }).load()).map((p) => p.host),
      ['192.168.1.20'],
    );
  });

  test('refuses what is not HOST:PORT, takes an address alone on the default port, and skips bad entries in the file', async () => {
    const configDir = await tempDir();
    const peers = new ManualPeers({ configDir, probe: async () => null });
    await assert.rejects(peers.add('bad host'), /HOST:PORT/);
    await assert.rejects(peers.add('host:99999'), /HOST:PORT/);
    await assert.rejects(peers.add('[not-v6]'), /HOST:PORT/);
    assert.deepEqual(await peers.add('just-a-name').then((p) => [p.host, p.port]), ['just-a-name', 33779]);
    assert.deepEqual(await peers.add('[fe80::1]').then((p) => [p.host, p.port]), ['fe80::1', 33779]);
    assert.ok(await peers.remove('just-a-name:33779'), 'the same peer, port spelled out');
    assert.ok(await peers.remove('fe80::1'));
    await fs.writeFile(
      path.join(configDir, 'peers.json'),
      JSON.stringify({ version: 1, peers: [{ host: 'ok', port: 1 }, { host: 'bad host', port: 1 }, { host: 'x', port: 0 }, 'junk', null] }),
    );
    assert.deepEqual(
      (await peers.load()).map((p) => p.host),
      ['ok'],
    );
  });

  test('the injected probe decides reachable or unreachable, and what we learn', async () => {
    const configDir = await tempDir();
    const asked: string[] = [];
    const events: string[] = [];
    const peers = new ManualPeers({
      configDir,
      probe: async (host, port, signal) => {
        asked.push(`${host}:${port}`);
        assert.ok(signal instanceof AbortSignal);
        return host === 'up' ? { deviceId: 'b'.repeat(64), deviceName: 'Up box', platform: 'win32' } : null;
      },
      onEvent: (e) => events.push(`${e.event} ${e.peer.host} ${e.peer.state}`),
    });
    assert.equal((await peers.add('up:1')).state, 'unknown', 'added, not yet asked');
    await peers.add('down:2');
    const up = await peers.probe({ host: 'up', port: 1, protocol: 'ferry' });
    assert.equal(up.state, 'reachable');
    assert.equal(up.deviceName, 'Up box');
    const all = await peers.probeAll();
    assert.deepEqual(
      all.map((p) => [p.host, p.state, p.deviceId?.length ?? null]),
      [
        ['up', 'reachable', 64],
        ['down', 'unreachable', null],
      ],
    );
    assert.ok(all.every((p) => typeof p.checkedAt === 'number'));
    assert.deepEqual(asked, ['up:1', 'up:1', 'down:2']);
    assert.ok(events.includes('manual-peer-updated down unreachable'));
  });

  test('a probe that hangs is cut off by the timeout', async () => {
    const peers = new ManualPeers({
      configDir: await tempDir(),
      probeTimeoutMs: 100,
      probe: (_h, _p, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(null))),
    });
    const started = Date.now();
    await peers.add('slow:1');
    assert.equal((await peers.probeAll()).at(0)?.state, 'unreachable');
    assert.ok(Date.now() - started < 2_000);
  });

  test('the default probe is a TCP connect', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    const open = (server.address() as net.AddressInfo).port;
    assert.deepEqual(await tcpProbe('127.0.0.1', open, AbortSignal.timeout(2_000)), { deviceId: null, deviceName: null, platform: null });
    const closed = await freeTcpPort();
    assert.equal(await tcpProbe('127.0.0.1', closed, AbortSignal.timeout(2_000)), null);
    assert.equal(await tcpProbe('127.0.0.1', open, AbortSignal.abort()), null);
  });
});

describe('discovery on loopback', () => {
  async function instance(port: number, over: Partial<DiscoveryOptions> & { name?: string } = {}) {
    const events: DiscoveryEvent[] = [];
    const d = new Discovery({
      identity: me(over.name),
      discoveryPort: port,
      interfaces: { only: ['loopback'] },
      intervalMs: 200,
      onEvent: (e) => events.push(e),
      ...over,
    });
    await d.start();
    onCleanup(() => d.stop());
    return { d, events };
  }

  test('two instances find each other with address and port, and a goodbye removes at once', async () => {
    const port = await freeUdpPort();
    const a = await instance(port, { port: 1111, name: 'A' });
    const b = await instance(port, { port: 2222, name: 'B' });
    await waitUntil('both see each other', () => a.d.peers().length === 1 && b.d.peers().length === 1, 2_000);
    const seenByA = a.d.peers()[0]!;
    assert.equal(seenByA.name, 'B');
    assert.equal(seenByA.port, 2222);
    assert.deepEqual(
      seenByA.addresses.map((x) => x.address),
      ['127.0.0.1'],
    );
    assert.equal(a.d.addressFor(seenByA), '127.0.0.1');
    assert.equal(b.d.peers()[0]!.port, 1111);
    assert.ok(a.events.some((e) => e.event === 'peer-added' && e.peer.name === 'B'));
    assert.equal(a.d.snapshot().received.own > 0, true, 'hears its own datagrams, and ignores them');
    await b.d.stop();
    await waitUntil('goodbye', () => a.d.peers().length === 0, 1_000);
    const removed = a.events.find((e) => e.event === 'peer-removed');
    assert.ok(removed && removed.event === 'peer-removed' && removed.reason === 'goodbye');
  });

  test('a listener finds an announcer through its query, long before the next interval', async () => {
    const port = await freeUdpPort();
    const a = await instance(port, { port: 1111, intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100)); // A's startup announce is over
    const started = Date.now();
    const listener = await instance(port, {});
    await waitUntil('the answer to our query', () => listener.d.peers().length === 1, 2_000);
    assert.ok(Date.now() - started < 1_000, `${Date.now() - started} ms`);
    assert.equal(a.d.snapshot().answers, 1);
    assert.equal(a.d.peers().length, 0, 'a listener that only asks is nobody to list');
  });

  test('a peer that stops without goodbye expires after three intervals', async () => {
    const port = await freeUdpPort();
    const a = await instance(port, { port: 1111, intervalMs: 100 });
    const b = await instance(port, { port: 2222, intervalMs: 100 });
    await waitUntil('A sees B', () => a.d.peers().length === 1, 2_000);
    await b.d.stop({ goodbye: false });
    const stopped = Date.now();
    await waitUntil('B expires', () => a.d.peers().length === 0, 2_000);
    const after = Date.now() - stopped;
    // Its last announce came up to 1.1 intervals before it stopped; the sweep runs every half interval.
    assert.ok(after >= 150 && after < 1_500, `expired after ${after} ms`);
    assert.ok(a.events.some((e) => e.event === 'peer-removed' && e.reason === 'expired'));
  });

  test('a flood of queries gets at most one answer per MIN_ANSWER_GAP_MS', async () => {
    const port = await freeUdpPort();
    const a = await instance(port, { port: 1111, intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    const senders = await Promise.all(Array.from({ length: 20 }, () => udpSender()));
    const started = Date.now();
    while (Date.now() - started < 1_000) {
      await Promise.all(senders.map((s) => s.send(encodeDatagram({ kind: 'query', version: '1.0', deviceId: hex64() }), port)));
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 600));
    const s = a.d.snapshot();
    assert.ok(s.received.queries > 200, `${s.received.queries} queries read`);
    // 1.6 s of queries and waiting: one answer per MIN_ANSWER_GAP_MS at the very most.
    assert.ok(s.answers >= 1 && s.answers <= 1 + Math.ceil((Date.now() - started) / MIN_ANSWER_GAP_MS), `${s.answers} answers`);
  });

  test('a flood of 50,000 datagrams with random ids keeps the table bounded and the real peer listed', async () => {
    const port = await freeUdpPort();
    const a = await instance(port, { port: 1111, name: 'A' });
    const b = await instance(port, { port: 2222, name: 'B' });
    await waitUntil('A sees B', () => a.d.peers().length === 1, 2_000);
    const senders = await Promise.all(Array.from({ length: 50 }, () => udpSender()));
    const heapBefore = process.memoryUsage().heapUsed;
    for (let round = 0; round < 1_000; round++) {
      await Promise.all(senders.map((s) => s.send(encodeDatagram(announce({ deviceName: `flood ${round}` })), port)));
      // Sends complete without the event loop turning: let the instances read.
      await new Promise((r) => setImmediate(r));
      assert.ok(a.d.peers().length <= MAX_PEERS);
    }
    const s = a.d.snapshot();
    assert.ok(s.received.datagrams > 1_000, `${s.received.datagrams} read`);
    assert.ok(s.dropped['rate-limited'] > 0, JSON.stringify(s.dropped));
    assert.ok(a.d.peers().length <= MAX_PEERS);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, 'memory stays bounded');
    // Flood entries are never refreshed; B is, every interval, so it is (back) in the table soon.
    await waitUntil('B listed after the flood', () => a.d.peers().some((p) => p.id === b.d.snapshot().deviceId), 3_000);
  });

  test('an announcement never makes us connect to the port it names', async () => {
    let connections = 0;
    const server = net.createServer((s) => (connections++, s.destroy()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    const port = await freeUdpPort();
    const a = await instance(port, {});
    await instance(port, { port: (server.address() as net.AddressInfo).port, intervalMs: 50 });
    await waitUntil('the announcer is listed', () => a.d.peers().length === 1, 2_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connections, 0);
  });

  test('malformed and oversized datagrams are counted, not fatal', async () => {
    const port = await freeUdpPort();
    const a = await instance(port, {});
    const tx = await udpSender();
    await tx.send(Buffer.from('not json'), port);
    await tx.send(Buffer.alloc(3_000, 0x41), port);
    await tx.send(wire(validWire({ ferry: '3.0' })), port);
    await tx.send(wire(validWire({ kind: 'shout' })), port);
    await waitUntil(
      'all four counted',
      () => {
        const d = a.d.snapshot().dropped;
        return d.malformed === 1 && d.oversized === 1 && d.version === 1 && d['unknown-kind'] === 1;
      },
      2_000,
    );
    assert.equal(a.d.peers().length, 0);
  });

  test('the snapshot explains what does not work: a port held without sharing, an address we cannot use', async () => {
    const port = await freeUdpPort();
    const holder = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((r) => holder.bind(port, '0.0.0.0', r));
    onCleanup(() => new Promise<void>((r) => holder.close(() => r())));
    const fake: InterfaceTable = {
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
      // TEST-NET-3, not on this machine: binding to it fails, so nothing is ever sent there.
      ghost0: [
        {
          address: '203.0.113.77',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: '02:00:00:00:00:09',
          internal: false,
          cidr: '203.0.113.77/24',
        },
      ],
    };
    // No broadcast: were the bind to succeed after all (ip_nonlocal_bind), 203.0.113.255 would be routed off this machine.
    const a = await instance(port, {
      port: 1111,
      interfaces: { only: ['loopback', 'ghost0'] },
      networkInterfaces: () => fake,
      broadcast: false,
    });
    const s = a.d.snapshot();
    assert.equal(s.listen.ok, false);
    assert.equal(s.listen.error?.code, 'EADDRINUSE');
    assert.match(s.listen.error.message, /another program/);
    const ghost = s.interfaces.find((i) => i.name === 'ghost0')!;
    assert.equal(ghost.bindError?.code, 'EADDRNOTAVAIL');
    assert.equal(ghost.sends.multicast.sent, 0);
    const lo = s.interfaces.find((i) => i.name === 'lo')!;
    assert.equal(lo.bindError, null);
    await waitUntil(
      'it still announces on lo',
      () => a.d.snapshot().interfaces.find((i) => i.name === 'lo')!.sends.multicast.sent > 0,
      1_000,
    );
    assert.equal(s.group, DISCOVERY_GROUP);
  });
});

/**
 * Sends to the group over loopback, as a peer would: every instance sharing the port gets it
 * (a unicast datagram would reach only the socket that bound the port last).
 */
async function udpSender(): Promise<{ send(b: Buffer, port: number): Promise<void> }> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  s.setMulticastInterface('127.0.0.1');
  onCleanup(() => new Promise<void>((r) => s.close(r)));
  return { send: (b, port) => new Promise((r) => s.send(b, port, DISCOVERY_GROUP, () => r())) };
}

interface PeerLine {
  id: string | null;
  name: string | null;
  platform: string | null;
  addresses: string[];
  port: number;
  source: 'discovered' | 'manual';
  appVersion?: string;
  protocol: 'ferry' | 'localsend';
  protocolVersion?: string;
  reachable?: boolean;
}

// Concurrently: most of each test is waiting for answers, and each has its own discovery port.
describe('ferry CLI with discovery on loopback', { concurrency: true }, () => {
  async function env(): Promise<NodeJS.ProcessEnv> {
    return { FERRY_DISCOVERY_PORT: String(await freeUdpPort()), FERRY_DISCOVERY_INTERFACES: 'loopback' };
  }

  async function receiver(name: string, e: NodeJS.ProcessEnv, extra: string[] = []) {
    const cli = await startReceiverCli(['--accept', 'all', '--name', name, ...extra], { env: e });
    const id = JSON.parse(await fs.readFile(path.join(cli.config, 'identity.json'), 'utf8')).deviceId as string;
    return { ...cli, id };
  }

  async function peers(e: NodeJS.ProcessEnv, args: string[] = []): Promise<PeerLine[]> {
    const run = await runCli(['peers', '--json', '--timeout', '1', ...args], e);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as PeerLine);
  }

  test('peers lists a receiver, send --to NAME reaches it, and it is gone once the receiver stops', async () => {
    const e = await env();
    const name = `Loopback box ${process.pid}`;
    const r = await receiver(name, e);
    const listed = (await peers(e)).filter((p) => p.name === name);
    assert.equal(listed.length, 1, JSON.stringify(listed));
    const { appVersion, protocolVersion, ...rest } = listed[0]!;
    assert.deepEqual(rest, {
      protocol: 'ferry',
      id: r.id,
      name,
      platform: process.platform,
      addresses: ['127.0.0.1'],
      port: r.port,
      source: 'discovered',
    });
    assert.match(appVersion ?? '', /^\d+\.\d+\.\d+/);
    assert.match(protocolVersion ?? '', /^\d+\.\d+$/);

    const src = await tempDir();
    const file = await randomFile(path.join(src, 'photo.jpg'), 300_000);
    const sent = await runCli(['send', '--to', name.toUpperCase(), '--config', await tempDir(), file], e);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stderr, new RegExp(`Sending to "${name}" at 127\\.0\\.0\\.1:${r.port}`));
    assert.equal(await md5File(path.join(r.dir, 'photo.jpg')), await md5File(file));

    r.child.kill('SIGTERM');
    await r.done;
    assert.deepEqual(
      (await peers(e)).filter((p) => p.name === name),
      [],
    );
  });

  test('send --to NAME refuses an ambiguous name, listing the candidates, and a name nobody has', async () => {
    const e = await env();
    const twin = `Twin ${process.pid}`;
    const [one, two] = await Promise.all([receiver(twin, e), receiver(twin, e), receiver(`Silent ${process.pid}`, e, ['--no-announce'])]);
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'a.txt'), 10);
    const [ambiguous, missing, text] = await Promise.all([
      runCli(['send', '--to', twin.toLowerCase(), '--config', await tempDir(), file], e),
      runCli(['send', '--to', `Silent ${process.pid}`, '--config', await tempDir(), file], e),
      runCli(['peers', '--timeout', '1', '--config', await tempDir()], e),
    ]);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /2 devices are called/);
    assert.ok(ambiguous.stderr.includes(`127.0.0.1:${one.port}`) && ambiguous.stderr.includes(`127.0.0.1:${two.port}`), ambiguous.stderr);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`no device called "Silent ${process.pid}"`));
    assert.match(missing.stderr, new RegExp(`found .*"${twin}"`));
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^NAME +PLATFORM +ADDRESS +SOURCE +ID\n/);
    assert.equal(text.stdout.split('\n').filter((l) => l.startsWith(twin)).length, 2);
    assert.ok(!text.stdout.includes('Silent'));
  });

  test('an announcement is not an identity: send --to NAME refuses a receiver that is not the device announced', async () => {
    const e = await env();
    const r = await receiver(`Real ${process.pid}`, e, ['--no-announce']);
    // Anyone on the network can announce any name with anyone's port.
    const impostor = new Discovery({
      identity: me(`Impostor ${process.pid}`),
      port: r.port,
      discoveryPort: Number(e.FERRY_DISCOVERY_PORT),
      interfaces: { only: ['loopback'] },
    });
    await impostor.start();
    onCleanup(() => impostor.stop());
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'secret.txt'), 100);
    const sent = await runCli(['send', '--to', `Impostor ${process.pid}`, '--config', await tempDir(), file], e);
    assert.equal(sent.code, 1);
    assert.match(sent.stderr, /not the device expected/);
    assert.deepEqual(await fs.readdir(r.dir), []);
  });

  test('Ctrl-C while send --to NAME is still looking stops it at once, with exit code 130', async () => {
    const e = await env();
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'a.txt'), 10);
    const cli = startCli(['send', '--to', `Nobody ${process.pid}`, '--config', await tempDir(), file], e);
    let stderr = '';
    cli.child.stderr!.on('data', (s: string) => (stderr += s));
    await waitUntil('the lookup to start', () => stderr.includes('Looking for'));
    const interruptedAt = Date.now();
    cli.child.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /interrupted while looking for the device/);
    // Well before the lookup's 3 s were up.
    assert.ok(Date.now() - interruptedAt < 2_000, `${Date.now() - interruptedAt} ms`);
  });

  test('peers --add keeps manual peers and shows whether they answer', async () => {
    const e = await env();
    const r = await receiver(`Manual ${process.pid}`, e, ['--no-announce']);
    const config = await tempDir();
    const closed = await freeTcpPort();
    const lines = await peers(e, ['--config', config, '--add', `127.0.0.1:${r.port}`, '--add', `127.0.0.1:${closed}`]);
    assert.deepEqual(
      lines.map((l) => [l.source, l.addresses, l.port, l.reachable]),
      [
        ['manual', ['127.0.0.1'], r.port, true],
        ['manual', ['127.0.0.1'], closed, false],
      ],
    );
    const again = await peers(e, ['--config', config, '--remove', `127.0.0.1:${closed}`]);
    assert.deepEqual(
      again.map((l) => l.port),
      [r.port],
    );
    const bad = await runCli(['peers', '--add', 'non sense', '--config', config], e);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /HOST:PORT/);
  });
});
