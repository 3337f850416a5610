#!/usr/bin/env node
// Builds the tray icon, offline and without dependencies:
//   assets/tray/trayTemplate.png, trayTemplate@2x.png  macOS's menu bar wants a "template"
//     image: black and transparent only, which it tints for light and dark menu bars. Drawn
//     here from the glyph of assets/icon.svg (the arc, the arrow head, the two shores and the
//     wave), without its coloured square, cropped to the glyph and supersampled 8x8 per pixel.
//   main/hosts/electron/tray-icon-data.ts  those two and assets/icons/16x16.png and 32x32.png
//     (Windows and Linux show the coloured icon) as base64: electron-builder ships only dist/**,
//     so the images travel inside the compiled module instead of as files.
// Run it after changing the glyph or the icons:   node assets/tray/make-tray-icons.mjs
// tests/integration/electron-adapter.test.ts checks the module still holds these files.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));

// ---- the glyph, in icon.svg's 512 x 512 coordinates ----

/** Centre of the arc M148.2 237.3 A130 130 0 0 1 325.7 200.2 (small arc, angles increasing). */
function arcCentre(p1, p2, r) {
  const mx = (p1[0] + p2[0]) / 2;
  const my = (p1[1] + p2[1]) / 2;
  const dx = p2[0] - p1[0];
  const dy = p2[1] - p1[1];
  const half = Math.hypot(dx, dy) / 2;
  const h = Math.sqrt(r * r - half * half);
  const candidates = [1, -1].map((s) => [mx - (s * h * dy) / (2 * half), my + (s * h * dx) / (2 * half)]);
  // The one from which going p1 → p2 with increasing angle is the short way round.
  return candidates.find(([cx, cy]) => {
    const sweep = norm(Math.atan2(p2[1] - cy, p2[0] - cx) - Math.atan2(p1[1] - cy, p1[0] - cx));
    return sweep <= Math.PI;
  });
}
const norm = (a) => ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);

const ARC = { p1: [148.2, 237.3], p2: [325.7, 200.2], r: 130, half: 18 };
const [ACX, ACY] = arcCentre(ARC.p1, ARC.p2, ARC.r);
const A1 = Math.atan2(ARC.p1[1] - ACY, ARC.p1[0] - ACX);
const ASWEEP = norm(Math.atan2(ARC.p2[1] - ACY, ARC.p2[0] - ACX) - A1);
const HEAD = [
  [368.6, 245],
  [295.4, 229.3],
  [356, 171.2],
];
const SHORES = [
  [126, 310],
  [386, 310],
];
// M184 312 q18-14 36 0 t36 0 t36 0 t36 0: four quadratic arches, the controls alternating.
const WAVE = [];
for (let i = 0; i < 4; i++) {
  const x0 = 184 + 36 * i;
  const cy = i % 2 === 0 ? 298 : 326;
  for (let t = 0; t <= 1.0001; t += 1 / 24) {
    WAVE.push([
      (1 - t) ** 2 * x0 + 2 * (1 - t) * t * (x0 + 18) + t * t * (x0 + 36),
      (1 - t) ** 2 * 312 + 2 * (1 - t) * t * cy + t * t * 312,
    ]);
  }
}

function segDist(p, a, b) {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy);
}

function inTriangle(p, [a, b, c]) {
  const s = (u, v) => (v[0] - u[0]) * (p[1] - u[1]) - (v[1] - u[1]) * (p[0] - u[0]);
  const d1 = s(a, b);
  const d2 = s(b, c);
  const d3 = s(c, a);
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
}

/** How opaque the glyph is at p: 1 inside a solid part, 0.6 on the wave (its stroke-opacity), else 0. */
function coverage(p) {
  if (SHORES.some((c) => Math.hypot(p[0] - c[0], p[1] - c[1]) <= 40)) return 1;
  const d = Math.hypot(p[0] - ACX, p[1] - ACY);
  if (Math.abs(d - ARC.r) <= ARC.half && norm(Math.atan2(p[1] - ACY, p[0] - ACX) - A1) <= ASWEEP) return 1;
  if ([ARC.p1, ARC.p2].some((e) => Math.hypot(p[0] - e[0], p[1] - e[1]) <= ARC.half)) return 1; // round caps
  if (inTriangle(p, HEAD) || HEAD.some((a, i) => segDist(p, a, HEAD[(i + 1) % 3]) <= 7)) return 1; // stroke 14, round joins
  for (let i = 1; i < WAVE.length; i++) if (segDist(p, WAVE[i - 1], WAVE[i]) <= 7) return 0.6;
  return 0;
}

// The glyph spans x 86..426 and y 164..350: a square around it, a little margin each side.
const CROP = { x: 78, y: 79, side: 356 };

/** RGBA pixels of the template at `size` px: black, the glyph's coverage as alpha. */
export function templatePixels(size) {
  const px = Buffer.alloc(size * size * 4);
  const n = 8;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          sum += coverage([CROP.x + ((x + (sx + 0.5) / n) * CROP.side) / size, CROP.y + ((y + (sy + 0.5) / n) * CROP.side) / size]);
        }
      }
      px[(y * size + x) * 4 + 3] = Math.round((255 * sum) / (n * n));
    }
  }
  return px;
}

// ---- PNG: signature, IHDR (8-bit RGBA), one IDAT of unfiltered rows, IEND ----

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method variant, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const template16 = encodePng(16, templatePixels(16));
  const template32 = encodePng(32, templatePixels(32));
  writeFileSync(join(root, 'assets', 'tray', 'trayTemplate.png'), template16);
  writeFileSync(join(root, 'assets', 'tray', 'trayTemplate@2x.png'), template32);
  const b64 = (bytes) => bytes.toString('base64');
  const module = [
    '// Generated by assets/tray/make-tray-icons.mjs: do not edit. The tray icon inlined (electron-builder',
    '// ships only dist/**): the coloured app icon for Windows and Linux, the black template macOS tints.',
    '',
    'export const TRAY_PNG_BASE64 = {',
    `  colour16:\n    '${b64(readFileSync(join(root, 'assets', 'icons', '16x16.png')))}',`,
    `  colour32:\n    '${b64(readFileSync(join(root, 'assets', 'icons', '32x32.png')))}',`,
    `  template16:\n    '${b64(template16)}',`,
    `  template32:\n    '${b64(template32)}',`,
    '};',
    '',
  ].join('\n');
  writeFileSync(join(root, 'main', 'hosts', 'electron', 'tray-icon-data.ts'), module);
  console.log('wrote assets/tray/trayTemplate.png, trayTemplate@2x.png and main/hosts/electron/tray-icon-data.ts');
}
