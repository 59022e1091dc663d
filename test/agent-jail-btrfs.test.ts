// Integration (root, a btrfs filesystem on a loop device, real bubblewrap): btrfs lets any user make
// a subvolume in a folder it may write, outside the qgroup that limits its hosting's home. Inside the
// jail (entered through the shell script an SSH shell user's session runs), the seccomp filter
// refuses it, and snapshots too; the same command outside the jail, as the same uid, succeeds.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-jail-btrfs.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './harness/run.js';
import { createBtrfsLoop, missingBtrfs, type BtrfsLoop } from './harness/btrfs.js';
import { BWRAP, ensureJails, jailOf } from '../src/jail/apply-jail.js';
import { renderShellScript } from '../src/files/render-shell.js';

const missing = [...missingBtrfs(), ...[BWRAP, '/usr/bin/setpriv'].filter((f) => !existsSync(f))];
if (missing.length && process.env.CI === 'true') test('btrfs on a loop device and bubblewrap (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-jail-btrfs.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const UID = 62990;

describe("the jail refuses btrfs subvolumes (they would escape the home's qgroup)", { skip: missing.length > 0 }, () => {
  let fs: BtrfsLoop;
  let home: string;
  let script: string;
  const asHosting = (args: string[]) => run('setpriv', ['--reuid', String(UID), '--regid', String(UID), '--clear-groups', ...args], { allowFailure: true });

  before(async () => {
    fs = await createBtrfsLoop(200);
    home = path.join(fs.mountpoint, 'www', 'jb62990');
    for (const [rel, owner, mode] of [
      ['www', 0, 0o755],
      ['www/jb62990', 0, 0o710],
      ['www/jb62990/var', 0, 0o710],
      ['www/jb62990/var/www', UID, 0o755],
      ['www/jb62990/tmp', UID, 0o700],
    ] as const) {
      const p = path.join(fs.mountpoint, rel);
      await mkdir(p);
      await chown(p, owner, UID);
      await chmod(p, mode);
    }
    await run('btrfs', ['subvolume', 'create', path.join(fs.mountpoint, 'jail-files')]);
    const jails = path.join(fs.mountpoint, 'jail-files', 'jail');
    const hosting = { hosting: 'jb62990', uid: UID, gid: UID, home };
    const seccompFile = await ensureJails(jails, [hosting]);
    assert.ok(seccompFile, 'this machine has a filter');
    script = path.join(fs.mountpoint, 'jail-files', 'shell');
    await writeFile(
      script,
      renderShellScript({
        user: 'jb62990-dev',
        self: script,
        jail: jailOf(jails, hosting),
        seccompFile,
        bwrap: BWRAP,
        sftpServer: '/usr/lib/openssh/sftp-server',
      }),
      { mode: 0o755 },
    );
  });

  after(async () => {
    await fs?.cleanup();
  });

  test('btrfs subvolume create and snapshot fail in the jail, work outside it', async () => {
    const www = path.join(home, 'var/www');
    const inJail = await asHosting([script, '-c', 'btrfs subvolume create sub; echo "exit $?"']);
    assert.match(inJail.stdout + inJail.stderr, /Operation not permitted/);
    assert.match(inJail.stdout, /exit 1/);
    assert.ok(!existsSync(path.join(www, 'sub')));
    const outside = await asHosting(['btrfs', 'subvolume', 'create', path.join(www, 'outside')]);
    assert.equal(outside.code, 0, `the control: ${outside.stderr}`);
    const snap = await asHosting([script, '-c', 'btrfs subvolume snapshot outside snap; echo "exit $?"']);
    assert.match(snap.stdout + snap.stderr, /Operation not permitted|Permission denied/);
    assert.ok(!existsSync(path.join(www, 'snap')));
    const normal = await asHosting([script, '-c', 'mkdir plain && echo ok > plain/f && cat plain/f']);
    assert.equal(normal.stdout, 'ok\n', normal.stderr);
  });
});
