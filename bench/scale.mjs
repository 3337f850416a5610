// The scale section (`--scale`, not run by default): what a person with a photo library or a
// disk image meets. A folder of many 1 KiB files (time until the receiver has the offer,
// files/s, both sides' peak memory), and a file over 4 GiB, cut near its end and resumed, so
// that offsets past 2^32 are exercised in the data, the resume and the md5 of the prefix.
//
// The process helpers and Ferry's transfer come from run.mjs (`h`), so every child is tracked
// and killed there.

import { createHash, randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const KiB = 1024;
const GiB = 1024 * 1024 * 1024;

/** n files of 1 KiB under root/scale, 1,000 to a folder; their md5s by relative path. */
function makeScaleFiles(root, n) {
  const top = path.join(root, 'scale');
  const sums = new Map();
  const buf = Buffer.allocUnsafe(KiB);
  for (let i = 0; i < n; i++) {
    const dir = `folder-${String(Math.floor(i / 1000)).padStart(4, '0')}`;
    if (i % 1000 === 0) fs.mkdirSync(path.join(top, dir), { recursive: true });
    const rel = path.join(dir, `file-${String(i % 1000).padStart(4, '0')}.bin`);
    randomFillSync(buf);
    fs.writeFileSync(path.join(top, rel), buf);
    sums.set(rel, createHash('md5').update(buf).digest('hex'));
  }
  return { top, sums };
}

function verifyTree(dir, sums) {
  let bad = 0;
  let seen = 0;
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else {
        seen++;
        if (
          sums.get(r) !==
          createHash('md5')
            .update(fs.readFileSync(path.join(d, e.name)))
            .digest('hex')
        )
          bad++;
      }
    }
  };
  walk(dir, '');
  if (seen !== sums.size || bad) throw new Error(`received ${seen} files of ${sums.size}, ${bad} differ from the originals`);
}

/**
 * A big file through a receiver that stays up: the first sender is killed once the receiver
 * holds `cutAt` of it, a second one resumes. Returns the resume offset and both runs' times.
 */
async function resumeNearEnd(h, file, size, cfg, out) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  let port = null;
  let held = 0;
  let resumedFrom = null;
  let done = null;
  let failure = null;
  const receiver = h.start(process.execPath, [h.FERRY, ...h.receiveArgs(out, cfg.recv, '--no-localsend')], {
    env,
    lines: (line) => {
      let e;
      try {
        e = JSON.parse(line);
      } catch {
        return;
      }
      if (e.event === 'listening') port = e.port;
      else if (e.event === 'progress') held = e.transferred;
      else if (e.event === 'file-done') resumedFrom = e.resumedFrom;
      else if (e.event === 'done' && e.ok) done = e;
      else if (e.event === 'file-failed') failure ??= `${e.code} ${e.message}`;
    },
  });
  const recvSampler = h.sampler(receiver.child.pid);
  try {
    while (port === null) await h.sleep(20);
    const send = () =>
      h.start(process.execPath, [h.FERRY, 'send', '--to', `127.0.0.1:${port}`, '--json', '--retries', '0', '--config', cfg.send, file], {
        env,
      });
    // Near the end, and well past 2^32 even for a file barely over 4 GiB.
    const cutAt = size - Math.min(256 * 1024 * 1024, Math.floor((size - 2 ** 32) / 2));
    const t0 = performance.now();
    const first = send();
    while (held < cutAt) {
      if (first.child.exitCode !== null) throw new Error(`the first sender ended before the cut at ${held} bytes`);
      await h.sleep(20);
    }
    h.killGroup(first.child);
    await first.closed;
    const t1 = performance.now();
    // The receiver notices the dead connection and keeps the partial file for the resume.
    await h.sleep(500);
    const second = send();
    const r = await h.withTimeout(second.closed, 10 * 60_000, 'the resuming send');
    if (r.code !== 0) throw new Error(`the resuming send exited ${r.code}: ${r.stderr.trim().slice(0, 300)}`);
    const t2 = performance.now();
    while (!done && !failure) await h.sleep(20);
    if (failure) throw new Error(`the receiver failed the file: ${failure}`);
    return { resumedFrom, first: (t1 - t0) / 1000, second: (t2 - t1) / 1000, recvPeak: recvSampler.state.peak };
  } finally {
    recvSampler.stop();
    h.killGroup(receiver.child);
    await receiver.closed;
  }
}

/** Runs the section; returns report lines. Failures go to `broken` (exit status 1). */
export async function scaleSection(h, { files, bigGiB, cfg, src, broken }) {
  const lines = [
    `3. Scale (--scale): ${files.toLocaleString('en-US')} files of 1 KiB; one file of ${bigGiB} GiB, cut near its end and resumed`,
  ];
  h.settle();
  await h.waitForFastCreates();
  h.log(`bench: scale: generating ${files} files of 1 KiB …`);
  const many = makeScaleFiles(src, files);
  try {
    const r = await h.ferryTransfer({ paths: [many.top], expectFiles: files, timeoutMs: 60_000 + files * 5, cfg, label: 'scale' });
    verifyTree(path.join(r.out, 'scale'), many.sums);
    lines.push(
      `  many files: ${h.fmt(files / r.wall)} files/s (wall ${h.fmt(r.wall, 2)} s; the receiver had the offer after ${h.fmt(r.phases.offer, 2)} s), ` +
        `peak RSS receiver ${h.fmt(r.recvPeak / 1e6)} MB, sender ${h.fmt(r.sendPeak / 1e6)} MB; every file's md5 ok`,
    );
  } catch (err) {
    broken.push(`scale, many files: ${err.message}`);
    lines.push(`  many files: BROKEN (${err.message})`);
  }

  const size = Math.round(bigGiB * GiB);
  const file = path.join(src, 'huge.bin');
  h.log(`bench: scale: generating ${bigGiB} GiB …`);
  const md5 = await h.makeBigFile(file, size);
  const out = fs.mkdtempSync(path.join(h.workDir(), 'recv-huge-'));
  try {
    const r = await resumeNearEnd(h, file, size, cfg, out);
    const got = await h.md5File(path.join(out, 'huge.bin'), h.md5sum);
    if (got !== md5) throw new Error(`md5 ${got} != ${md5}`);
    if (!(r.resumedFrom > 2 ** 32)) throw new Error(`resumed from ${r.resumedFrom}, not past 2^32`);
    lines.push(
      `  ${bigGiB} GiB: sender killed after ${h.fmt(r.first, 1)} s, the next one resumed from byte ${r.resumedFrom} ` +
        `(${h.fmt(r.resumedFrom / GiB, 2)} GiB, past 2^32) and finished in ${h.fmt(r.second, 1)} s (the sender hashes its prefix to check it first); ` +
        `receiver peak RSS ${h.fmt(r.recvPeak / 1e6)} MB; md5 ok`,
    );
  } catch (err) {
    broken.push(`scale, ${bigGiB} GiB resumed: ${err.message}`);
    lines.push(`  ${bigGiB} GiB: BROKEN (${err.message})`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
  return lines;
}
