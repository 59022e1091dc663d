// A throw-away btrfs filesystem on a loop device (this machine's kernel has btrfs, not ext4/XFS
// quotas): a sparse file, mkfs.btrfs, losetup, mounted under a temp directory. cleanup() unmounts,
// detaches and deletes it, also after a failed test.
import { mkdtemp, chmod, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findExecutable, run } from './run.js';

export interface BtrfsLoop { mountpoint: string; device: string; cleanup(): Promise<void> }

/** What is missing to make one (empty: it can be made). */
export function missingBtrfs(): string[] {
  const missing = ['mkfs.btrfs', 'btrfs', 'losetup'].filter((b) => !findExecutable(b));
  if (!readFileSync('/proc/filesystems', 'utf8').includes('\tbtrfs')) missing.push('btrfs in the kernel');
  if (!existsSync('/dev/loop-control')) missing.push('loop devices (/dev/loop-control)');
  if (process.getuid?.() !== 0) missing.push('root');
  return missing;
}

export async function createBtrfsLoop(sizeMb = 400): Promise<BtrfsLoop> {
  const dir = await mkdtemp('/tmp/abri-btrfs-');
  const image = path.join(dir, 'image');
  const mountpoint = path.join(dir, 'mnt');
  let device = '';
  let mounted = false;
  const cleanup = async () => {
    const errors: string[] = [];
    if (mounted) {
      const r = await run('umount', [mountpoint], { allowFailure: true });
      if (r.code !== 0) await run('umount', ['-l', mountpoint], { allowFailure: true }).then((l) => l.code && errors.push(`umount: ${r.stderr.trim()}`));
    }
    if (device) {
      const r = await run('losetup', ['-d', device], { allowFailure: true });
      if (r.code !== 0) errors.push(`losetup -d ${device}: ${r.stderr.trim()}`);
    }
    await rm(dir, { recursive: true, force: true });
    if (errors.length) throw new Error(errors.join('; '));
  };
  try {
    await chmod(dir, 0o711);
    await run('truncate', ['-s', `${sizeMb}M`, image]);
    await run('mkfs.btrfs', ['-q', image]);
    device = (await run('losetup', ['-f', '--show', image])).stdout.trim();
    await run('mkdir', ['-m', '0711', mountpoint]);
    await run('mount', ['-t', 'btrfs', device, mountpoint]);
    mounted = true;
    await chmod(mountpoint, 0o711);
    return { mountpoint, device, cleanup };
  } catch (e) {
    await cleanup().catch((c: Error) => console.error(`btrfs loop cleanup after a failure: ${c.message}`)); // the first error is the one thrown
    throw e;
  }
}
