// The encrypted tools a person would use instead of Ferry on a LAN: rsync over ssh, scp, and
// tar over ssh, against an sshd of the bench's own on 127.0.0.1 (throwaway host and user keys
// in the work folder, removed with it). Nothing here touches the system's ssh setup: the
// daemon runs with its own config file and key, on a free port, and stops at the end.
//
// The process helpers come from run.mjs (`tools`), so every child is tracked and killed there.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'];

/** The contenders, in the report's order: each copies one path into a fresh folder of the remote side. */
export const SSH_TOOLS = [
  { id: 'rsync', label: 'rsync -a -e ssh' },
  { id: 'scp', label: 'scp -r' },
  { id: 'tar', label: 'tar c | ssh tar x' },
];

/**
 * Starts the daemon. Returns { command(tool, srcParent, name, out), stop() }, or { skip: reason }
 * when the tools are missing and cannot be installed (not root, or no apt-get).
 */
export async function startSshd(workDir, tools) {
  const { start, freePort, isListening, sleep, killGroup, ensureTool, which, shq } = tools;
  if (!which('rsync')) ensureTool('rsync', 'rsync');
  let sshd = SSHD.find((p) => fs.existsSync(p));
  if (!sshd) {
    ensureTool('sshd', 'openssh-server', () => true);
    sshd = SSHD.find((p) => fs.existsSync(p));
  }
  const missing = [!sshd && 'sshd (openssh-server)', !which('ssh') && 'ssh', !which('scp') && 'scp', !which('rsync') && 'rsync']
    .filter(Boolean)
    .join(', ');
  if (missing) return { skip: `${missing} not available (installed with apt-get only when running as root): ssh baselines skipped` };

  const dir = path.join(workDir, 'ssh');
  fs.mkdirSync(dir, { mode: 0o700 });
  const hostKey = path.join(dir, 'host_ed25519');
  const userKey = path.join(dir, 'user_ed25519');
  for (const key of [hostKey, userKey]) {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key], { encoding: 'utf8' });
    if (r.status !== 0) return { skip: `ssh-keygen failed (${r.stderr.trim()}): ssh baselines skipped` };
  }
  fs.copyFileSync(`${userKey}.pub`, path.join(dir, 'authorized_keys'));
  // Privilege separation needs this folder when sshd runs as root (Debian's package makes it at boot).
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = path.join(dir, 'sshd_config');
    fs.writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        'UsePAM no',
        // The work folder may sit under a group-writable /tmp parent.
        'StrictModes no',
        'Subsystem sftp internal-sftp',
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    const daemon = start(sshd, ['-D', '-e', '-f', config]);
    let ended = null;
    void daemon.closed.then((r) => (ended = r));
    const deadline = performance.now() + 5000;
    while (!isListening(port) && !ended && performance.now() < deadline) await sleep(10);
    if (!isListening(port)) {
      killGroup(daemon.child);
      await daemon.closed;
      if (attempt < 3 && !ended?.stderr.includes('Bad configuration')) continue;
      return { skip: `sshd did not start (${(ended?.stderr ?? 'timeout').trim().split('\n')[0]}): ssh baselines skipped` };
    }

    // What a person's ssh would do, minus the questions: default ciphers, no agent, no prompts.
    const sshOpts = [
      '-i',
      userKey,
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
      '-o',
      'IdentitiesOnly=yes',
    ];
    const ssh = ['ssh', '-p', String(port), ...sshOpts].map(shq).join(' ');
    const scp = ['scp', '-q', '-P', String(port), ...sshOpts].map(shq).join(' ');
    const probe = spawnSync('bash', ['-c', `${ssh} 127.0.0.1 true`], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status !== 0) {
      killGroup(daemon.child);
      await daemon.closed;
      return { skip: `cannot log in to the bench's sshd (${(probe.stderr || 'timeout').trim().split('\n')[0]}): ssh baselines skipped` };
    }

    /** The shell command that copies srcParent/name into the folder `out` (which exists). */
    const command = (tool, srcParent, name, out) => {
      const from = shq(path.join(srcParent, name));
      switch (tool) {
        case 'rsync':
          return `rsync -a -e ${shq(ssh)} ${from} ${shq(`127.0.0.1:${out}/`)}`;
        case 'scp':
          return `${scp} -r ${from} ${shq(`127.0.0.1:${out}/`)}`;
        case 'tar':
          return `set -o pipefail; tar c -C ${shq(srcParent)} ${shq(name)} | ${ssh} 127.0.0.1 ${shq(`tar x -C ${shq(out)}`)}`;
        default:
          throw new Error(`unknown ssh tool ${tool}`);
      }
    };
    const version = spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim();
    return {
      version,
      command,
      async stop() {
        killGroup(daemon.child);
        await daemon.closed;
      },
    };
  }
}

/** Runs one copy; resolves with its wall time in seconds (process start to exit). */
export async function sshCopy(sshd, tool, srcParent, name, out, timeoutMs, tools) {
  const { start, withTimeout, killGroup } = tools;
  const t0 = performance.now();
  const run = start('bash', ['-c', sshd.command(tool, srcParent, name, out)]);
  try {
    const r = await withTimeout(run.closed, timeoutMs, tool);
    if (r.code !== 0) throw new Error(`${tool} exited ${r.code ?? r.signal}: ${r.stderr.trim().slice(0, 300)}`);
    return (r.tClose - t0) / 1000;
  } catch (err) {
    killGroup(run.child);
    throw err;
  }
}
