// The security side of the `ferry` command as users run it: device identity on disk, the
// trust store, --accept trusted, the verification code, shared secrets and identity changes.
// Real processes, real loopback sockets, temporary folders.

import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { type CliRun, type EventOf, isEvent, md5File, randomFile, runCli, snapshot, startReceiverCli, tempDir } from '../helpers.js';

interface Device {
  name: string;
  id: string;
}

/** This device's name and id as `ferry trust list` prints them ("This device: NAME  ID"). */
async function deviceOf(config: string): Promise<Device> {
  const run = await runCli(['trust', 'list', '--config', config]);
  assert.equal(run.code, 0, run.stderr);
  const m = /^This device: (.*) {2}([0-9a-f]{64})$/m.exec(run.stdout);
  assert.ok(m, `no "This device:" line in ${JSON.stringify(run.stdout)}`);
  return { name: m[1]!, id: m[2]! };
}

/** A `ferry receive --json` on loopback, a free port, no announcements; resolves once listening. */
function receiver(args: string[], opts: { config?: string; dir?: string } = {}) {
  return startReceiverCli(['--no-announce', ...args], opts);
}

/** Everything a run printed, for "the secret never shows" checks. */
function printed(...runs: Array<Pick<CliRun, 'stdout' | 'stderr'>>): string {
  return runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

function errorEvent(run: CliRun): EventOf<'error'> | undefined {
  return run.events.filter(isEvent('error')).at(-1);
}

async function mode(p: string): Promise<number> {
  return (await fs.stat(p)).mode & 0o777;
}

/** The verification code exactly as PROTOCOL.md §17 defines it, computed independently. */
function expectedCode(idA: string, idB: string): string {
  const [a, b] = [idA, idB].sort();
  const d = createHash('sha256').update(`ferry-verification-code-v1\n${a}\n${b}\n`).digest();
  const s = String(d.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  return `${s.slice(0, 3)} ${s.slice(3)}`;
}

describe('ferry CLI: identity, trust and shared secrets', () => {
  test('the first run creates a persistent identity: key 0600, certificate, id = SHA-256 of the certificate DER', async () => {
    const config = path.join(await tempDir('ferry-sec-id-'), 'nested', 'config');
    const first = await runCli(['trust', 'list', '--config', config]);
    assert.equal(first.code, 0, first.stderr);
    const m = /^This device: (.*) {2}([0-9a-f]{64})$/m.exec(first.stdout);
    assert.ok(m, first.stdout);
    const [, name, id] = m;
    assert.match(first.stdout, /No trusted devices/);

    const keyFile = path.join(config, 'device-key.pem');
    const certFile = path.join(config, 'device-cert.pem');
    assert.equal(await mode(keyFile), 0o600, 'device-key.pem is readable by the user only');
    assert.equal(await mode(config), 0o700, 'the config folder it created is private');
    const key = await fs.readFile(keyFile, 'utf8');
    const certPem = await fs.readFile(certFile, 'utf8');
    assert.match(key, /^-----BEGIN PRIVATE KEY-----\n/);
    const cert = new X509Certificate(certPem);
    // The device id is the certificate's fingerprint, and the key is the certificate's.
    assert.equal(id, createHash('sha256').update(cert.raw).digest('hex'));
    assert.equal(id, cert.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.ok(cert.checkPrivateKey(createPrivateKey(key)), 'the key belongs to the certificate');
    assert.match(cert.subject, /CN=Ferry device/);
    assert.equal(createPrivateKey(key).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    // identity.json records the same id; the default name is this computer's.
    const stored = JSON.parse(await fs.readFile(path.join(config, 'identity.json'), 'utf8')) as { deviceId: string; deviceName: string };
    assert.equal(stored.deviceId, id);
    assert.equal(stored.deviceName, name);
    assert.equal(name, os.hostname());

    // Persisted: a second run (and another command) is the same device; nothing is rewritten.
    const again = await deviceOf(config);
    assert.deepEqual(again, { name, id });
    const json = await runCli(['trust', 'list', '--json', '--config', config]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      json.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
      [{ kind: 'this-device', id, name }],
      'no trusted devices: --json prints this device alone',
    );
    assert.equal(await fs.readFile(keyFile, 'utf8'), key);
    assert.equal(await fs.readFile(certFile, 'utf8'), certPem);
    assert.equal(await mode(keyFile), 0o600);

    // A different config folder is a different device.
    const other = await deviceOf(await tempDir('ferry-sec-id2-'));
    assert.notEqual(other.id, id);
  });

  test('a damaged or mismatched device key stops `ferry receive` with one clear line, and nothing is overwritten', async () => {
    const good = await tempDir('ferry-sec-good-');
    const otherDevice = await tempDir('ferry-sec-other-');
    await deviceOf(good);
    await deviceOf(otherDevice);
    const files = ['device-key.pem', 'device-cert.pem', 'identity.json'];

    async function contents(dir: string): Promise<Record<string, string | null>> {
      const out: Record<string, string | null> = {};
      for (const f of files) out[f] = await fs.readFile(path.join(dir, f), 'utf8').catch(() => null);
      return out;
    }

    const cases: Array<[string, (config: string) => Promise<void>, RegExp]> = [
      [
        'garbage in the key file',
        (c) => fs.writeFile(path.join(c, 'device-key.pem'), 'this is not a key\n'),
        /key or certificate .*unusable/,
      ],
      [
        'the key of another device',
        async (c) => fs.copyFile(path.join(otherDevice, 'device-key.pem'), path.join(c, 'device-key.pem')),
        /key or certificate .*unusable \(the private key does not match the certificate\)/,
      ],
      [
        'garbage in the certificate',
        (c) => fs.writeFile(path.join(c, 'device-cert.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        /key or certificate .*unusable/,
      ],
      ['the key file missing', (c) => fs.rm(path.join(c, 'device-key.pem')), /only half of this device's identity .*device-key\.pem/],
    ];
    for (const [what, damage, message] of cases) {
      const config = await tempDir('ferry-sec-bad-');
      await fs.cp(good, config, { recursive: true });
      await damage(config);
      const before = await contents(config);
      const dir = path.join(await tempDir('ferry-sec-bad-dl-'), 'downloads');

      const run = await runCli([
        'receive',
        '--dir',
        dir,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--no-announce',
        '--accept',
        'all',
        '--config',
        config,
      ]);
      assert.equal(run.code, 1, `${what}: ${run.stderr}`);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${what}: one line, got ${JSON.stringify(run.stderr)}`);
      assert.match(lines[0]!, /^ferry: /);
      assert.match(lines[0]!, message, what);
      assert.ok(lines[0]!.includes(config), `${what}: names the folder`);
      assert.deepEqual(await contents(config), before, `${what}: nothing overwritten`);
      await assert.rejects(fs.stat(dir), `${what}: never started receiving`);

      // --json: the same failure as an error event with a code, and no `listening`.
      const json = await runCli([
        'receive',
        '--dir',
        dir,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--no-announce',
        '--json',
        '--config',
        config,
      ]);
      assert.equal(json.code, 1, what);
      assert.equal(json.events.length, 1, `${what}: ${json.stdout}`);
      assert.equal(errorEvent(json)?.code, 'BAD_CONFIG', what);
      assert.deepEqual(await contents(config), before, `${what}: nothing overwritten`);
    }
  });

  test('trust add, list --json and remove by id, id prefix and name; bad ids and unknown devices exit 1', async () => {
    const config = await tempDir('ferry-sec-trust-');
    const trust = (...args: string[]) => runCli(['trust', ...args, '--config', config]);
    const listed = async (): Promise<Array<{ id: string; name: string; addedAt: number }>> => {
      const r = await trust('list', '--json');
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; id: string; name: string; addedAt: number });
      assert.equal(lines[0]?.kind, 'this-device', 'this device comes first');
      assert.ok(lines.slice(1).every((l) => l.kind === 'trusted'));
      return lines.slice(1);
    };
    const idA = `deadbeef01${'1'.repeat(54)}`;
    const idB = `deadbeef02${'2'.repeat(54)}`;
    const idC = `c0ffee${'3'.repeat(58)}`;
    const idD = `d00d${'4'.repeat(60)}`;
    const idE = `e0e0${'5'.repeat(60)}`;

    const addA = await trust('add', idA, '--name', 'Alpha laptop');
    assert.equal(addA.code, 0, addA.stderr);
    assert.equal(addA.stdout, `Trusted Alpha laptop (${idA})\n`);
    const t0 = Date.now();
    const addB = await trust('add', idB.toUpperCase(), '--name', 'Beta', '--json'); // ids are case-insensitive
    assert.equal(addB.code, 0, addB.stderr);
    const b = JSON.parse(addB.stdout) as { id: string; name: string; addedAt: number };
    assert.equal(b.id, idB);
    assert.equal(b.name, 'Beta');
    assert.ok(Math.abs(b.addedAt - t0) < 60_000);
    assert.equal((await trust('add', idC, '--name', 'Gamma')).code, 0);
    assert.equal((await trust('add', idD, '--name', 'Twin')).code, 0);
    assert.equal((await trust('add', idE, '--name', 'Twin')).code, 0);
    const noName = await trust('add', `f${'6'.repeat(63)}`);
    assert.equal(noName.code, 0, noName.stderr);
    assert.match(noName.stdout, /^Trusted unnamed device /);
    assert.equal((await trust('remove', `f${'6'.repeat(63)}`)).code, 0);

    assert.equal(await mode(path.join(config, 'trusted.json')), 0o600);
    assert.deepEqual(
      (await listed()).map((d) => [d.id, d.name]),
      [
        [idA, 'Alpha laptop'],
        [idB, 'Beta'],
        [idC, 'Gamma'],
        [idD, 'Twin'],
        [idE, 'Twin'],
      ],
    );
    const text = await trust('list');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^This device: .* {2}[0-9a-f]{64}\n/);
    assert.match(text.stdout, new RegExp(`^${idA}  Alpha laptop  \\(since \\d{4}-\\d{2}-\\d{2}\\)$`, 'm'));

    // Re-adding an id renames it and keeps when it was first trusted.
    const renamed = await trust('add', idB, '--name', 'Beta desktop', '--json');
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.equal((JSON.parse(renamed.stdout) as { addedAt: number }).addedAt, b.addedAt);
    assert.equal((await listed()).find((d) => d.id === idB)?.name, 'Beta desktop');
    assert.equal((await listed()).length, 5);

    // Invalid ids: exit 1 with a clear reason; the store is untouched. A missing id is a usage error.
    const before = await fs.readFile(path.join(config, 'trusted.json'), 'utf8');
    for (const bad of ['abc', idA.slice(0, 63), `${idA}0`, `g${idA.slice(1)}`, `${idA.slice(0, 63)} `]) {
      const r = await trust('add', bad, '--name', 'Bad');
      assert.equal(r.code, 1, `${bad}: ${r.stderr}`);
      assert.match(lastLine(r.stderr), /^ferry: ".*" is not a device id \(64 hex digits/, bad);
    }
    const usage = await trust('add');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /trust add takes one device id/);
    assert.equal(await fs.readFile(path.join(config, 'trusted.json'), 'utf8'), before);

    // An ambiguous prefix removes nothing and lists the candidates.
    const ambiguous = await trust('remove', 'deadbeef0');
    assert.equal(ambiguous.code, 1);
    assert.match(
      lastLine(ambiguous.stderr),
      /^ferry: "deadbeef0" matches several trusted devices: .*Alpha laptop \(deadbeef0111…\).*Beta desktop \(deadbeef0222…\).*give more of the id/,
    );
    // Fewer than 8 digits is not taken as a prefix (only as a name, which nothing has).
    const tooShort = await trust('remove', 'deadbee');
    assert.equal(tooShort.code, 1);
    assert.match(lastLine(tooShort.stderr), /^ferry: no trusted device matches "deadbee"/);
    assert.equal((await listed()).length, 5);

    // By a unique prefix (any case), by full id, by name.
    const byPrefix = await trust('remove', 'DEADBEEF01');
    assert.equal(byPrefix.code, 0, byPrefix.stderr);
    assert.equal(byPrefix.stdout, `No longer trusted: Alpha laptop (${idA})\n`);
    const byId = await trust('remove', idB, '--json');
    assert.equal(byId.code, 0, byId.stderr);
    assert.deepEqual(JSON.parse(byId.stdout), { id: idB, name: 'Beta desktop', addedAt: b.addedAt });
    const byName = await trust('remove', 'Gamma');
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(byName.stdout, `No longer trusted: Gamma (${idC})\n`);
    assert.deepEqual(
      (await listed()).map((d) => d.id),
      [idD, idE],
    );

    // Names are matched exactly; a name shared by several devices removes all of them.
    assert.equal((await trust('remove', 'twin')).code, 1);
    const twins = await trust('remove', 'Twin');
    assert.equal(twins.code, 0, twins.stderr);
    assert.equal(twins.stdout.trim().split('\n').length, 2);
    assert.deepEqual(await listed(), []);

    // Unknown: exit 1, and again after the store is empty.
    for (const what of [idA, 'Nobody', 'deadbeef']) {
      const r = await trust('remove', what);
      assert.equal(r.code, 1, what);
      assert.match(lastLine(r.stderr), new RegExp(`^ferry: no trusted device matches "${what}"`));
    }
  });

  test('--accept trusted declines an untrusted sender; after `trust add` of its id the same send goes through', async () => {
    const src = await tempDir('ferry-sec-src-');
    const file = await randomFile(path.join(src, 'report.pdf'), 300_000);
    const senderConfig = await tempDir('ferry-sec-scfg-');
    const sender = await deviceOf(senderConfig);
    const recvConfig = await tempDir('ferry-sec-rcfg-');
    const recvDir = await tempDir('ferry-sec-rdir-');

    const r1 = await receiver(['--accept', 'trusted', '--once'], { config: recvConfig, dir: recvDir });
    const declined = await runCli(['send', '--to', r1.to, '--json', '--config', senderConfig, file]);
    assert.equal(declined.code, 1, declined.stderr);
    assert.match(lastLine(declined.stderr), /^ferry: declined: the receiver only accepts devices it trusts$/);
    const d = declined.events.find(isEvent('declined'));
    assert.equal(d?.code, 'DECLINED');
    assert.equal(d?.message, 'the receiver only accepts devices it trusts');
    assert.ok(!declined.events.some(isEvent('file-done')));
    const recv1 = await r1.done;
    assert.equal(recv1.code, 1, '--once ends with the decline, not a success');
    const offer1 = recv1.events.find(isEvent('offer'));
    assert.equal(offer1?.peer?.deviceId, sender.id, 'the receiver sees the id `trust list` printed');
    assert.equal(offer1?.peer?.trusted, false);
    assert.equal(offer1?.peer?.identityChangedFrom, null);
    assert.ok(recv1.events.some(isEvent('declined')));
    assert.deepEqual(await snapshot(recvDir), {}, 'nothing written, not even a partial file');

    const added = await runCli(['trust', 'add', sender.id, '--name', sender.name, '--config', recvConfig]);
    assert.equal(added.code, 0, added.stderr);

    // The trust store is read at start: a new receiver on the same config.
    const r2 = await receiver(['--accept', 'trusted', '--once'], { config: recvConfig, dir: recvDir });
    const sent = await runCli(['send', '--to', r2.to, '--json', '--config', senderConfig, file]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.events.find(isEvent('file-done'))?.md5, await md5File(file));
    const recv2 = await r2.done;
    assert.equal(recv2.code, 0, recv2.stderr);
    const offer2 = recv2.events.find(isEvent('offer'));
    assert.equal(offer2?.peer?.deviceId, sender.id);
    assert.equal(offer2?.peer?.trusted, true);
    assert.ok(recv2.events.some((e) => e.event === 'done' && e.ok));
    assert.equal(await md5File(path.join(recvDir, 'report.pdf')), await md5File(file));
    assert.deepEqual(Object.keys(await snapshot(recvDir)), ['report.pdf']);

    // --accept ask has no terminal here, yet a trusted device is accepted without asking.
    const r3 = await receiver(['--accept', 'ask', '--once'], { config: recvConfig });
    const asked = await runCli(['send', '--to', r3.to, '--json', '--config', senderConfig, file]);
    assert.equal(asked.code, 0, asked.stderr);
    assert.equal((await r3.done).code, 0);
    assert.equal(await md5File(path.join(r3.dir, 'report.pdf')), await md5File(file));
  });

  test('--accept trusted: a sender using a trusted name with another identity is declined and flagged', async () => {
    const src = await tempDir('ferry-sec-src-');
    const file = await randomFile(path.join(src, 'a.bin'), 1000);
    const senderConfig = await tempDir('ferry-sec-scfg-');
    const sender = await deviceOf(senderConfig);
    const recvConfig = await tempDir('ferry-sec-rcfg-');
    const pinned = `ab${'7'.repeat(62)}`;
    assert.equal((await runCli(['trust', 'add', pinned, '--name', 'Ada laptop', '--config', recvConfig])).code, 0);
    const r = await receiver(['--accept', 'trusted', '--once'], { config: recvConfig });
    const sent = await runCli(['send', '--to', r.to, '--name', 'Ada laptop', '--json', '--config', senderConfig, file]);
    assert.equal(sent.code, 1);
    assert.match(lastLine(sent.stderr), /^ferry: declined: .*"Ada laptop" now has another identity/);
    const recv = await r.done;
    const offer = recv.events.find(isEvent('offer'));
    assert.equal(offer?.peer?.deviceId, sender.id);
    assert.equal(offer?.peer?.trusted, false);
    assert.equal(offer?.peer?.identityChangedFrom, pinned);
    assert.deepEqual(await snapshot(r.dir), {});
  });

  test('both sides show the same verification code, as PROTOCOL.md §17 computes it', async () => {
    assert.equal(expectedCode('cc'.repeat(32), 'dd'.repeat(32)), '234 071', 'the test computes the spec example');
    const src = await tempDir('ferry-sec-src-');
    const file = await randomFile(path.join(src, 'photo.jpg'), 50_000);
    const senderConfig = await tempDir('ferry-sec-scfg-');
    const recvConfig = await tempDir('ferry-sec-rcfg-');
    const [sender, recvDevice] = await Promise.all([deviceOf(senderConfig), deviceOf(recvConfig)]);
    const r = await receiver(['--accept', 'all', '--once'], { config: recvConfig });
    const sent = await runCli(['send', '--to', r.to, '--json', '--config', senderConfig, file]);
    assert.equal(sent.code, 0, sent.stderr);
    const recv = await r.done;
    assert.equal(recv.code, 0, recv.stderr);

    const connected = sent.events.find(isEvent('connected'));
    const offer = recv.events.find(isEvent('offer'));
    assert.ok(connected && offer?.peer, `connected: ${JSON.stringify(connected)}, offer: ${JSON.stringify(offer)}`);
    assert.match(connected.peer.verificationCode, /^\d{3} \d{3}$/);
    assert.equal(connected.peer.verificationCode, offer.peer.verificationCode);
    assert.equal(connected.peer.verificationCode, expectedCode(sender.id, recvDevice.id));
    assert.equal(connected.peer.deviceId, recvDevice.id);
    assert.equal(offer.peer.deviceId, sender.id);
    // `connected` comes before anything is offered to the receiver.
    const kinds = sent.events.map((e) => e.event);
    assert.ok(kinds.indexOf('connected') < kinds.indexOf('accepted'), kinds.join(','));
    assert.equal(await md5File(path.join(r.dir, 'photo.jpg')), await md5File(file));

    // Without --json the sender prints the code for its user.
    const r2 = await receiver(['--accept', 'all', '--once'], { config: recvConfig });
    const plain = await runCli(['send', '--to', r2.to, '--config', senderConfig, file]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(plain.stderr.includes(`verification code ${offer.peer.verificationCode}`), plain.stderr);
    assert.equal((await r2.done).code, 0);
  });

  test('`ferry secret new` writes a strong secret readable by the user only, and never overwrites', async () => {
    const dir = await tempDir('ferry-sec-secret-');
    const file = path.join(dir, 'ferry.secret');
    const made = await runCli(['secret', 'new', file]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(await mode(file), 0o600);
    const secret = (await fs.readFile(file, 'utf8')).trim();
    assert.match(secret, /^[A-Za-z0-9_-]{22,}$/, 'at least 128 bits, base64url');
    assert.ok(Buffer.from(secret, 'base64url').length >= 16);
    assert.ok(!made.stdout.includes(secret) && !made.stderr.includes(secret), 'the secret is only in the file');

    const again = await runCli(['secret', 'new', file]);
    assert.equal(again.code, 1);
    assert.match(lastLine(again.stderr), /already exists; not overwriting it/);
    assert.equal((await fs.readFile(file, 'utf8')).trim(), secret);
    assert.equal(await mode(file), 0o600);

    // Not even a file the user wrote.
    const mine = path.join(dir, 'notes.txt');
    await fs.writeFile(mine, 'my own notes\n');
    assert.equal((await runCli(['secret', 'new', mine])).code, 1);
    assert.equal(await fs.readFile(mine, 'utf8'), 'my own notes\n');

    // Without FILE: printed, fresh each time.
    const [p1, p2] = await Promise.all([runCli(['secret', 'new']), runCli(['secret', 'new'])]);
    assert.equal(p1.code, 0, p1.stderr);
    assert.match(p1.stdout, /^[A-Za-z0-9_-]{22,}\n$/);
    assert.match(p2.stdout, /^[A-Za-z0-9_-]{22,}\n$/);
    assert.notEqual(p1.stdout, p2.stdout);
    assert.notEqual(p1.stdout.trim(), secret);
    assert.equal((await fs.readdir(dir)).sort().join(','), 'ferry.secret,notes.txt');
  });

  test('shared secret: the same secret transfers; a wrong or missing one fails before any offer, and never shows', async () => {
    const keys = await tempDir('ferry-sec-keys-');
    const shared = path.join(keys, 'shared.secret');
    const other = path.join(keys, 'other.secret');
    assert.equal((await runCli(['secret', 'new', shared])).code, 0);
    assert.equal((await runCli(['secret', 'new', other])).code, 0);
    const sharedText = (await fs.readFile(shared, 'utf8')).trim();
    const otherText = (await fs.readFile(other, 'utf8')).trim();
    // The same secret with other surrounding white space is the same secret.
    const sharedCopy = path.join(keys, 'copy.secret');
    await fs.writeFile(sharedCopy, `  ${sharedText}\r\n\n`, { mode: 0o600 });

    const src = await tempDir('ferry-sec-src-');
    const file = await randomFile(path.join(src, 'ledger.db'), 400_000);
    const senderConfig = await tempDir('ferry-sec-scfg-');
    const r = await receiver(['--accept', 'all', '--once', '--secret-file', shared]);
    const runs: CliRun[] = [];

    // A different (valid, long) secret: AUTH_FAILED, not retried, nothing offered or written.
    const wrong = await runCli(['send', '--to', r.to, '--json', '--secret-file', other, '--config', senderConfig, file]);
    runs.push(wrong);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.equal(errorEvent(wrong)?.code, 'AUTH_FAILED', wrong.stdout);
    assert.ok(!wrong.events.some(isEvent('connected')), 'no connected: the peers never agreed');
    assert.ok(!wrong.events.some(isEvent('retry')), 'a wrong secret is not retried');
    assert.match(lastLine(wrong.stderr), /^ferry: .*shared.secret/i);
    assert.equal((await r.waitFor((e) => e.event === 'error' && e.code === 'AUTH_FAILED')).event, 'error');

    // No secret at all against a secret receiver: AUTH_REQUIRED.
    const none = await runCli(['send', '--to', r.to, '--json', '--config', senderConfig, file]);
    runs.push(none);
    assert.equal(none.code, 1, none.stderr);
    assert.equal(errorEvent(none)?.code, 'AUTH_REQUIRED', none.stdout);
    assert.match(lastLine(none.stderr), /--secret-file/);
    assert.ok(!none.events.some(isEvent('retry')));

    assert.ok(!r.events.some(isEvent('offer')), `the receiver never saw an offer: ${r.events.map((e) => e.event)}`);
    assert.deepEqual(await snapshot(r.dir), {});

    // The right secret (the receiver is still there: failed proofs do not end --once).
    const right = await runCli(['send', '--to', r.to, '--json', '--secret-file', sharedCopy, '--config', senderConfig, file]);
    runs.push(right);
    assert.equal(right.code, 0, right.stderr);
    assert.ok(right.events.some(isEvent('connected')));
    assert.equal(right.events.find(isEvent('file-done'))?.md5, await md5File(file));
    const recv = await r.done;
    runs.push(recv);
    assert.equal(recv.code, 0, recv.stderr);
    assert.equal(recv.events.filter(isEvent('offer')).length, 1);
    assert.equal(await md5File(path.join(r.dir, 'ledger.db')), await md5File(file));

    // A receiver without a secret, a sender with one: AUTH_REQUIRED, nothing written.
    const open = await receiver(['--accept', 'all', '--once']);
    const demanding = await runCli(['send', '--to', open.to, '--json', '--secret-file', shared, '--config', senderConfig, file]);
    runs.push(demanding);
    assert.equal(demanding.code, 1, demanding.stderr);
    assert.equal(errorEvent(demanding)?.code, 'AUTH_REQUIRED', demanding.stdout);
    assert.ok(!demanding.events.some(isEvent('connected')));
    assert.ok(!open.events.some(isEvent('offer')));
    assert.deepEqual(await snapshot(open.dir), {});
    open.child.kill('SIGTERM');
    runs.push(await open.done);

    for (const secret of [sharedText, otherText]) {
      assert.ok(!printed(...runs).includes(secret), 'a secret appeared in some output');
    }
  });

  test('a secret file shorter than 16 bytes is refused by receive and send, without printing it', async () => {
    const keys = await tempDir('ferry-sec-keys-');
    const short = path.join(keys, 'short.secret');
    const content = 'tiny-secret-xyz'; // 15 bytes
    await fs.writeFile(short, `  ${content}\n`, { mode: 0o600 });
    const src = await tempDir('ferry-sec-src-');
    const file = await randomFile(path.join(src, 'a.txt'), 10);
    const config = await tempDir('ferry-sec-cfg-');
    const dir = path.join(await tempDir('ferry-sec-dl-'), 'in');

    const recv = await runCli([
      'receive',
      '--dir',
      dir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--no-announce',
      '--accept',
      'all',
      '--secret-file',
      short,
      '--config',
      config,
    ]);
    const recvJson = await runCli([
      'receive',
      '--dir',
      dir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--no-announce',
      '--json',
      '--secret-file',
      short,
      '--config',
      config,
    ]);
    const send = await runCli(['send', '--to', '127.0.0.1:9', '--secret-file', short, '--config', config, file]);
    const sendJson = await runCli(['send', '--to', '127.0.0.1:9', '--json', '--secret-file', short, '--config', config, file]);
    for (const [what, run] of [
      ['receive', recv],
      ['receive --json', recvJson],
      ['send', send],
      ['send --json', sendJson],
    ] as const) {
      assert.equal(run.code, 1, `${what}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, `${what}: ${run.stderr}`);
      assert.match(run.stderr, /^ferry: .*too short \(15 bytes; at least 16/, what);
      assert.ok(!printed(run).includes(content), `${what} printed the secret`);
      assert.ok(!run.events.some(isEvent('listening')) && !run.events.some(isEvent('connecting')), `${what} went ahead`);
    }
    // PROTOCOL.md §11: a secret that is too short is BAD_CONFIG (a local file is unusable).
    assert.equal(errorEvent(recvJson)?.code, 'BAD_CONFIG', recvJson.stdout);
    assert.equal(errorEvent(sendJson)?.code, 'BAD_CONFIG', sendJson.stdout);
    await assert.rejects(fs.stat(dir), 'the receiver never started');

    // A secret file that is not there: exit 1, says which file.
    const missing = await runCli(['send', '--to', '127.0.0.1:9', '--secret-file', path.join(keys, 'nope'), '--config', config, file]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ferry: cannot read the secret file .*nope: ENOENT/);
  });

  test('a sender refuses a receiver whose name is trusted under another id (IDENTITY_CHANGED), until the pin is removed', async () => {
    const src = await tempDir('ferry-sec-src-');
    const file = await randomFile(path.join(src, 'taxes.xlsx'), 200_000);
    const senderConfig = await tempDir('ferry-sec-scfg-');
    const recvConfig = await tempDir('ferry-sec-rcfg-');
    const recvDevice = await deviceOf(recvConfig);
    const r = await receiver(['--accept', 'all', '--once', '--name', 'Office NAS'], { config: recvConfig });
    const stale = `0f${'8'.repeat(62)}`;
    assert.notEqual(stale, recvDevice.id);
    assert.equal((await runCli(['trust', 'add', stale, '--name', 'Office NAS', '--config', senderConfig])).code, 0);

    const refused = await runCli(['send', '--to', r.to, '--json', '--config', senderConfig, file]);
    assert.equal(refused.code, 1, refused.stderr);
    const err = errorEvent(refused);
    assert.ok(err, refused.stdout);
    assert.equal(err.code, 'IDENTITY_CHANGED', refused.stdout);
    assert.ok(err.message.includes(stale.slice(0, 16)) && err.message.includes(recvDevice.id.slice(0, 16)), err.message);
    assert.match(lastLine(refused.stderr), /^ferry: the identity of "Office NAS" changed: .*nothing was sent$/);
    assert.ok(!refused.events.some(isEvent('connected')), 'refused before anything is offered');
    assert.ok(!refused.events.some(isEvent('retry')), 'not retried');
    assert.ok(!r.events.some(isEvent('offer')), 'the receiver saw no offer');
    assert.deepEqual(await snapshot(r.dir), {});

    // The name is compared case-insensitively: a pin on "office nas" is the same device name.
    assert.equal((await runCli(['trust', 'remove', stale, '--config', senderConfig])).code, 0);
    assert.equal((await runCli(['trust', 'add', stale, '--name', 'office nas', '--config', senderConfig])).code, 0);
    const refusedAgain = await runCli(['send', '--to', r.to, '--json', '--config', senderConfig, file]);
    assert.equal(refusedAgain.code, 1);
    assert.equal(errorEvent(refusedAgain)?.code, 'IDENTITY_CHANGED');
    assert.deepEqual(await snapshot(r.dir), {});

    // Once the stale pin is gone, the same send goes through.
    assert.equal((await runCli(['trust', 'remove', 'office nas', '--config', senderConfig])).code, 0);
    const sent = await runCli(['send', '--to', r.to, '--json', '--config', senderConfig, file]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.events.find(isEvent('connected'))?.peer.deviceId, recvDevice.id);
    assert.equal((await r.done).code, 0);
    assert.equal(await md5File(path.join(r.dir, 'taxes.xlsx')), await md5File(file));
  });
});
