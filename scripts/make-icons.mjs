#!/usr/bin/env node
// Builds assets/icon.ico (Windows) and assets/icon.icns (macOS) from the PNGs in
// assets/icons/, offline and without dependencies: both formats are small containers of PNG
// payloads. Run it after changing the PNGs:   node scripts/make-icons.mjs [--out DIR]
// The output is deterministic, so tests/packaging.test.ts can check the committed files are current.
//
// ICO: a 6-byte header (0, type 1, count), a 16-byte directory entry per image (width and
//   height as one byte each, 0 meaning 256; planes 1; 32 bits per pixel; size; offset), then
//   the PNG files as they are (Windows Vista and later read PNG entries at any size).
// ICNS: 'icns' and the total length (big-endian), then per image a 4-byte type, its length
//   including this 8-byte header, and the PNG. Types by pixel size: icp4 16, icp5 32,
//   icp6 64, ic07 128, ic08 256, ic09 512, ic10 1024; the Retina ("@2x") types ic11 16@2x,
//   ic12 32@2x, ic13 128@2x, ic14 256@2x reuse the PNG of twice the size.

import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const iconsDir = join(root, 'assets', 'icons');

export const ICO_SIZES = [16, 32, 48, 64, 128, 256];
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG of `size` × `size` pixels from assets/icons, checked; null when there is none. */
function png(size) {
  const file = join(iconsDir, `${size}x${size}.png`);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file} is not a PNG`);
  const w = bytes.readUInt32BE(16);
  const h = bytes.readUInt32BE(20);
  if (w !== size || h !== size) throw new Error(`${file} is ${w}x${h}, not ${size}x${size}`);
  return bytes;
}

export function buildIco() {
  const images = ICO_SIZES.map((size) => {
    const bytes = png(size);
    if (!bytes) throw new Error(`assets/icons/${size}x${size}.png is missing (the .ico needs it)`);
    return { size, bytes };
  });
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, bytes }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3); // reserved
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(bytes.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += bytes.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.bytes)]);
}

export function buildIcns() {
  const chunks = [];
  for (const [type, size] of ICNS_TYPES) {
    const bytes = png(size);
    if (!bytes) continue; // ic10 needs a 1024 px PNG; macOS scales from ic09/ic14 without it
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + bytes.length, 4);
    chunks.push(head, bytes);
  }
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 && process.argv[i + 1] ? process.argv[i + 1] : join(root, 'assets');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'icon.ico'), buildIco());
  writeFileSync(join(out, 'icon.icns'), buildIcns());
  console.log(`wrote ${join(out, 'icon.ico')} and ${join(out, 'icon.icns')}`);
}
