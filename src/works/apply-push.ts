// Pushes the public works page to an outside host with rsync over SSH, as atomically as a remote
// folder allows: the page goes into a folder of its own version (.abri-works-<digest>) beside the
// `current` link, then the link alone is sent — rsync writes it under a temporary name and renames it
// over the old one, so the host's web server serves the old page or the new one, never a mix.
// Older versions go (the one just replaced stays until the next push); nothing else in the folder
// is touched. SSH signs in with the target's own key and accepts only its pinned host key.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { knownHostsLine, versionDir, type PageFile, type TargetFields } from './rules-publish.js';

export interface PushTarget extends TargetFields {
  /** the digest the target already has (its version is kept as the previous one), or null */
  pushedDigest: string | null;
}

export async function pushPage(exec: Executor, target: PushTarget, privateKey: string, page: { digest: string; files: PageFile[] }, timeoutMs = 300_000): Promise<void> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'abri-works-push-'));
  try {
    const key = path.join(tmp, 'key');
    const known = path.join(tmp, 'known_hosts');
    await writeFile(key, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600 });
    await writeFile(known, knownHostsLine(target), { mode: 0o600 });
    const version = versionDir(page.digest);
    const stage = path.join(tmp, 'stage');
    const dirs = new Set(page.files.map((f) => path.dirname(f.path)));
    for (const d of [...dirs].sort()) await mkdir(path.join(stage, version, d), { recursive: true, mode: 0o755 });
    for (const f of page.files) await writeFile(path.join(stage, version, f.path), f.content, { mode: 0o644 });
    const link = path.join(tmp, 'link');
    await mkdir(link);
    await symlink(version, path.join(link, 'current'));
    const ssh = ['ssh', '-F', '/dev/null', '-i', key, '-p', String(target.port), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${known}`,
      '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=20', '-o', 'ServerAliveInterval=15'].join(' ');
    const remote = `${target.username}@${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.path}/`;
    const previous = target.pushedDigest && target.pushedDigest !== page.digest ? versionDir(target.pushedDigest) : null;
    // 1. the new version; the old versions but the previous one are deleted, nothing else is
    const keep = [...(previous ? [`P /${previous}/`] : []), 'P /current', 'R /.abri-works-*', 'P /*'];
    await exec.run('rsync', ['-rt', '--mkpath', '--delete', '--chmod=D755,F644', ...keep.flatMap((f) => ['--filter', f]), '-e', ssh, `${stage}/`, remote], { timeoutMs });
    // 2. the link, swapped in one rename
    await exec.run('rsync', ['-lt', '-e', ssh, path.join(link, 'current'), remote], { timeoutMs });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
