// LocalSend's device descriptions (main/core/localsend/announce.ts): what the validators take
// from LocalSend 1.17 and 1.18 apps as they really write it, what they refuse and how they say
// so, the bodies Ferry writes about itself, and the pinning rule of the HTTPS client.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LOCALSEND_VERSION,
  majorVersion,
  MAX_DATAGRAM_BYTES,
  ownAnnounceDatagram,
  ownInfo,
  ownRegisterRequest,
  parseAnnounceDatagram,
  sameFingerprint,
  validateAnnounce,
  validateInfoResponse,
  validateRegisterRequest,
} from '../../main/core/localsend/announce.js';
import { sightingOfRegistration } from '../../main/core/localsend/discovery-peers.js';
import { errorMessageOf, pinFor } from '../../main/core/localsend/https-client.js';
import { FerryError } from '../../main/core/errors.js';

const FP = 'AB'.repeat(32);
const wire = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));

/** A datagram as LocalSend 1.17 (Dart) writes it: nulls for what it does not know, both announce keys. */
function dart(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    alias: 'Nice Orange',
    version: '2.1',
    deviceModel: null,
    deviceType: null,
    fingerprint: FP,
    port: 53317,
    protocol: 'https',
    download: null,
    announcement: true,
    announce: true,
    ...over,
  };
}

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FerryError, `a FerryError, not ${String(err)}`);
    assert.equal(err.code, 'BAD_MESSAGE');
    assert.match(err.message, message);
    return true;
  });
}

describe('LocalSend announcements as apps write them', () => {
  test("takes 1.17's datagram with its nulls, and normalises the fingerprint to lower case", () => {
    assert.deepEqual(parseAnnounceDatagram(wire(dart())), {
      alias: 'Nice Orange',
      version: '2.1',
      deviceModel: null,
      deviceType: 'desktop',
      fingerprint: FP.toLowerCase(),
      port: 53317,
      protocol: 'https',
      download: false,
      announce: true,
    });
  });

  test("takes 1.18's datagram (version 2.2, no `announcement` key)", () => {
    const a = parseAnnounceDatagram(
      wire({
        alias: 'Pixel',
        version: '2.2',
        deviceModel: 'Google',
        deviceType: 'mobile',
        fingerprint: FP,
        port: 53318,
        protocol: 'https',
        download: false,
        announce: true,
      }),
    );
    assert.equal(a.deviceType, 'mobile');
    assert.equal(a.deviceModel, 'Google');
    assert.equal(a.version, '2.2');
    assert.equal(majorVersion(a.version), 2);
    assert.equal(a.announce, true);
  });

  test('reads the v1 key `announcement`, and a datagram with neither key as an answer', () => {
    const { announce: _, ...v1 } = dart();
    assert.equal(validateAnnounce(v1).announce, true);
    const { announce: _a, announcement: _b, ...neither } = dart();
    assert.equal(validateAnnounce(neither).announce, false);
    assert.equal(validateAnnounce(dart({ announce: false, announcement: false })).announce, false);
  });

  test('an unknown device type is a desktop; the alias is trimmed; 128 emoji are 128 characters', () => {
    assert.equal(validateAnnounce(dart({ deviceType: 'toaster' })).deviceType, 'desktop');
    assert.equal(validateAnnounce(dart({ alias: '  Bob  ' })).alias, 'Bob');
    assert.equal([...validateAnnounce(dart({ alias: '🦊'.repeat(128) })).alias].length, 128);
  });

  test("a plain-HTTP device's fingerprint is an opaque token, kept as sent", () => {
    const a = validateAnnounce(dart({ protocol: 'http', fingerprint: 'f0a1-Random_Token' }));
    assert.equal(a.fingerprint, 'f0a1-Random_Token');
    assert.equal(a.protocol, 'http');
  });

  const BAD: Array<[string, unknown, RegExp]> = [
    ['a JSON array', [1, 2], /not a JSON object/],
    ['JSON null', null, /not a JSON object/],
    ['a JSON string', 'hello', /not a JSON object/],
    ['no alias', dart({ alias: undefined }), /alias is missing/],
    ['a numeric alias', dart({ alias: 7 }), /alias must be a string/],
    ['a blank alias', dart({ alias: '   ' }), /alias is empty/],
    ['an alias of 129 characters', dart({ alias: 'x'.repeat(129) }), /alias is longer than 128 characters/],
    ['a bell in the alias', dart({ alias: 'Bob\u0007' }), /alias "Bob\\x07" holds control or direction characters/],
    ['a right-to-left override in the alias', dart({ alias: 'evil\u202egpj.exe' }), /control or direction characters/],
    ['a newline in the alias', dart({ alias: 'two\nlines' }), /control or direction characters/],
    ['a lone surrogate in the alias', dart({ alias: 'x\ud800y' }), /control or direction characters/],
    ['no version (a v1 app)', dart({ version: undefined }), /version is missing \(a LocalSend v1 app/],
    ['a null version', dart({ version: null }), /version is missing/],
    ['a numeric version', dart({ version: 2.1 }), /version must look like "2\.1", not 2\.1/],
    ['a version that is not major.minor', dart({ version: 'v2' }), /version must look like "2\.1", not "v2"/],
    ['no fingerprint', dart({ fingerprint: undefined }), /fingerprint is missing/],
    ['a numeric fingerprint', dart({ fingerprint: 12 }), /fingerprint must be a string/],
    ['a short https fingerprint', dart({ fingerprint: 'ab'.repeat(31) }), /64 hex digits of a SHA-256 \(the device uses https\)/],
    ['a non-hex https fingerprint', dart({ fingerprint: 'zz'.repeat(32) }), /64 hex digits/],
    ['an http fingerprint with a space', dart({ protocol: 'http', fingerprint: 'a b' }), /printable ASCII/],
    ['an http fingerprint of 129 characters', dart({ protocol: 'http', fingerprint: 'a'.repeat(129) }), /1–128 printable ASCII/],
    ['an empty http fingerprint', dart({ protocol: 'http', fingerprint: '' }), /printable ASCII/],
    ['no port', dart({ port: undefined }), /port is missing/],
    ['port 0', dart({ port: 0 }), /port must be a whole number from 1 to 65535/],
    ['port 65536', dart({ port: 65536 }), /port must be a whole number/],
    ['a fractional port', dart({ port: 5331.5 }), /port must be a whole number/],
    ['a port as text', dart({ port: '53317' }), /port must be a whole number/],
    ['no protocol', dart({ protocol: undefined }), /protocol is missing/],
    ['protocol ftp', dart({ protocol: 'ftp' }), /protocol must be "http" or "https", not "ftp"/],
    ['protocol in capitals', dart({ protocol: 'HTTPS' }), /protocol must be "http" or "https"/],
    ['a numeric device type', dart({ deviceType: 3 }), /deviceType must be a string/],
    ['a device model of 65 characters', dart({ deviceModel: 'm'.repeat(65) }), /deviceModel is longer than 64 characters/],
    ['announce as text', dart({ announce: 'yes' }), /announce must be true or false/],
    ['announcement as a number', dart({ announcement: 1 }), /announcement must be true or false/],
    ['download as text', dart({ download: 'no' }), /download must be true or false/],
  ];
  for (const [name, value, message] of BAD) {
    test(`refuses ${name}, saying so`, () => refused(() => validateAnnounce(value), message));
  }

  test('refuses datagrams that are too large, not UTF-8 or not JSON, before any field', () => {
    refused(() => parseAnnounceDatagram(Buffer.alloc(MAX_DATAGRAM_BYTES + 1, 0x20)), /8193 bytes, more than the 8192 allowed/);
    refused(() => parseAnnounceDatagram(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /not UTF-8/);
    refused(() => parseAnnounceDatagram(Buffer.from('{"alias":')), /not JSON/);
    refused(() => parseAnnounceDatagram(Buffer.alloc(0)), /not JSON/);
    // The largest accepted is exactly the cap.
    const padded = JSON.stringify(dart()).padEnd(MAX_DATAGRAM_BYTES, ' ');
    assert.equal(parseAnnounceDatagram(Buffer.from(padded)).alias, 'Nice Orange');
  });

  test('every refusal names what it refused', () => {
    refused(() => validateAnnounce(null), /^LocalSend announcement: /);
    refused(() => validateRegisterRequest({}), /^LocalSend register request: /);
    refused(() => validateInfoResponse([]), /^LocalSend device info: /);
  });
});

describe('register requests and info responses', () => {
  test('a register request is an announcement without `announce`', () => {
    const { announce: _a, announcement: _b, ...body } = dart({ deviceModel: 'Linux', deviceType: 'desktop', download: false });
    assert.deepEqual(validateRegisterRequest(body), {
      alias: 'Nice Orange',
      version: '2.1',
      deviceModel: 'Linux',
      deviceType: 'desktop',
      fingerprint: FP.toLowerCase(),
      port: 53317,
      protocol: 'https',
      download: false,
    });
    refused(() => validateRegisterRequest({ ...body, port: -1 }), /port must be a whole number/);
  });

  test("an info response has no protocol, and Ferry only receives one over https: its fingerprint must be a certificate's", () => {
    const info = { alias: 'Pixel', version: '2.2', deviceModel: null, deviceType: 'mobile', fingerprint: FP, download: false };
    assert.deepEqual(validateInfoResponse(info), { ...info, fingerprint: FP.toLowerCase() });
    refused(() => validateInfoResponse({ ...info, fingerprint: 'random-token' }), /64 hex digits/);
    refused(() => validateInfoResponse(undefined), /not a JSON object/);
  });
});

describe("Ferry's own descriptions", () => {
  const own = { alias: 'Alice laptop', fingerprint: 'cd'.repeat(32), port: 53318 };

  test('claim version 2.1, https, a desktop named Ferry, no web share page, the device id as fingerprint', () => {
    assert.equal(LOCALSEND_VERSION, '2.1');
    assert.deepEqual(ownInfo(own), {
      alias: 'Alice laptop',
      version: '2.1',
      deviceModel: 'Ferry',
      deviceType: 'desktop',
      fingerprint: 'cd'.repeat(32),
      download: false,
    });
    assert.deepEqual(ownRegisterRequest(own), { ...ownInfo(own), port: 53318, protocol: 'https' });
  });

  test('the announcement carries both keys, and passes our own validator', () => {
    const bytes = ownAnnounceDatagram(own, true);
    const raw = JSON.parse(bytes.toString());
    assert.equal(raw.announce, true);
    assert.equal(raw.announcement, true);
    assert.deepEqual(parseAnnounceDatagram(bytes), { ...ownRegisterRequest(own), announce: true });
    assert.equal(parseAnnounceDatagram(ownAnnounceDatagram(own, false)).announce, false);
  });

  test('each body passes the validator the other side would run', () => {
    assert.deepEqual(validateInfoResponse(ownInfo(own)), ownInfo(own));
    assert.deepEqual(validateRegisterRequest(ownRegisterRequest(own)), ownRegisterRequest(own));
  });
});

describe('fingerprints and pinning', () => {
  test('compare case-insensitively', () => {
    assert.ok(sameFingerprint(FP, FP.toLowerCase()));
    assert.ok(!sameFingerprint(FP, 'cd'.repeat(32)));
  });

  test('pin an https device to its fingerprint, in lower case', () => {
    assert.equal(pinFor({ protocol: 'https', fingerprint: FP }), FP.toLowerCase());
  });

  test('refuse a plain-HTTP device, or a fingerprint that is no certificate hash, saying why', () => {
    assert.throws(
      () => pinFor({ protocol: 'http', fingerprint: FP, alias: 'Old phone' }),
      (err: unknown) =>
        err instanceof FerryError &&
        err.code === 'UNSUPPORTED_VERSION' &&
        /"Old phone" uses plain HTTP, and Ferry talks to LocalSend devices only over HTTPS/.test(err.message),
    );
    assert.throws(
      () => pinFor({ protocol: 'https', fingerprint: 'random-token' }),
      (err: unknown) =>
        err instanceof FerryError &&
        err.code === 'BAD_MESSAGE' &&
        /this LocalSend device has no certificate fingerprint to pin/.test(err.message),
    );
  });

  test("an error answer's message is LocalSend's `message`, else its text, on one line", () => {
    const res = { status: 403, ok: false, text: '', serverFingerprint: FP, json: { message: 'Rejected' } };
    assert.equal(errorMessageOf(res), 'Rejected');
    assert.equal(errorMessageOf({ ...res, json: undefined, text: 'Not\nfound' }), 'Not found');
    assert.equal(errorMessageOf({ ...res, json: undefined, text: '' }), 'HTTP 403');
  });
});

describe('registrations our server receives', () => {
  const info = {
    alias: 'Pixel',
    version: '2.2',
    deviceModel: null,
    deviceType: 'mobile' as const,
    fingerprint: FP,
    port: null,
    protocol: null,
    download: false,
  };

  test("read absent port and protocol as LocalSend does (53317, https), and a dual-stack server's ::ffff: address as IPv4", () => {
    const s = sightingOfRegistration(info, { address: '::ffff:192.168.1.20', verified: true });
    assert.deepEqual(s, {
      ...info,
      fingerprint: FP.toLowerCase(),
      address: '192.168.1.20',
      port: 53317,
      protocol: 'https',
      verified: true,
    });
  });

  test('list nothing for an https device whose fingerprint is no certificate hash', () => {
    assert.equal(sightingOfRegistration({ ...info, fingerprint: 'token' }, { address: '10.0.0.2', verified: false }), null);
    assert.equal(
      sightingOfRegistration({ ...info, fingerprint: 'token', protocol: 'http' }, { address: '10.0.0.2', verified: false })?.protocol,
      'http',
    );
  });
});
