// `abri sftp-user` against a real manager (no sshd: the agent side is test/agent-sftp.test.ts):
// names without the prefix on creation, the password printed once, keys from a .pub file, added and
// removed by fingerprint, folder and enable/disable, removal, and errors in one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('SFTP user commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('sftp-user add/list/show/passwd/set, key add/remove, remove', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'abri-cli-sftp-'));
    try {
      const key = path.join(dir, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'cli@test', '-f', key]);
      const fingerprint = execFileSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
      await json('server', 'add', '--name', 'web-1', '--role', 'web', '--address', '192.0.2.90');
      const { hosting } = await seedHosting(cli.m, { offer: { maxFtpUsers: 2 } });
      const h = hosting.name as string;

      const added = await run('sftp-user', 'add', 'web', '--hosting', h);
      assert.match(added, new RegExp(`^SFTP user ${h}-web created: sftp -P 2222 ${h}-web@192\\.0\\.2\\.90; its password is shown only this once`));
      assert.match(added, /^newPassword\s+[A-Za-z0-9]{24}$/m);

      const blog = await json('sftp-user', 'add', 'blog', '--hosting', h, '--folder', 'var/www/blog', '--key', `${key}.pub`, '--no-password');
      assert.deepEqual([blog.name, blog.folder, blog.password, blog.newPassword, blog.keys[0].fingerprint], [`${h}-blog`, 'var/www/blog', false, undefined, fingerprint]);
      const table = await run('sftp-user', 'list', '--hosting', h);
      assert.match(table, /^name\s+host\s+port\s+folder\s+access\s+login\s+keys\s+state\s+status/);
      assert.match(table, new RegExp(`^${h}-blog\\s+192\\.0\\.2\\.90\\s+2222\\s+var/www/blog\\s+sftp\\s+keys only\\s+1\\s+enabled\\s+pending$`, 'm'));

      const reset = await json('sftp-user', 'passwd', `${h}-web`);
      assert.match(reset.newPassword, /^[A-Za-z0-9]{24}$/);
      assert.equal((await json('sftp-user', 'key', 'add', `${h}-web`, readFileSync(`${key}.pub`, 'utf8'))).keys.length, 1);
      assert.equal((await json('sftp-user', 'key', 'remove', `${h}-web`, fingerprint)).keys.length, 0);
      assert.equal((await json('sftp-user', 'passwd', `${h}-blog`, '--remove')).password, false);
      const changed = await json('sftp-user', 'set', `${h}-web`, '--folder', 'var/www/site', '--disable');
      assert.deepEqual([changed.folder, changed.enabled], ['var/www/site', false]);
      assert.equal((await json('sftp-user', 'show', `${h}-web`)).enabled, false);

      assert.match(oneLineError(await abri(['sftp-user', 'add', 'x', '--hosting', h], cli.env)), /quota\.sftp_users_exceeded/);
      assert.match(oneLineError(await abri(['sftp-user', 'set', `${h}-web`, '--folder', '../../etc'], cli.env)), /sftp_user\.folder_invalid/);
      assert.match(oneLineError(await abri(['sftp-user', 'key', 'add', `${h}-web`, 'ssh-ed25519 AAAA'], cli.env)), /sftp_key\.invalid/);
      assert.match(await run('sftp-user', 'remove', `${h}-blog`), new RegExp(`^SFTP user ${h}-blog removed`));
      assert.equal((await json('sftp-user', 'list', '--hosting', h)).total, 1);
      assert.match(oneLineError(await abri(['sftp-user', 'add', 'x'], cli.env), 2), /--hosting/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sftp-user add --shell, set --no-shell; an offer without SSH refuses it', async () => {
    const { hosting } = await seedHosting(cli.m, { offer: { maxFtpUsers: 2, sshAllowed: true } });
    const h = hosting.name as string;
    const added = await run('sftp-user', 'add', 'dev', '--hosting', h, '--shell');
    assert.match(added, new RegExp(`^SFTP user ${h}-dev created: ssh -p 2222 ${h}-dev@`));
    assert.match(await run('sftp-user', 'list', '--hosting', h), new RegExp(`^${h}-dev\\s+\\S+\\s+2222\\s+\\(whole home\\)\\s+ssh shell\\s+password`, 'm'));
    assert.equal((await json('sftp-user', 'set', `${h}-dev`, '--no-shell')).shell, false);
    assert.equal((await json('sftp-user', 'set', `${h}-dev`, '--shell')).shell, true);
    assert.match(oneLineError(await abri(['sftp-user', 'set', `${h}-dev`, '--folder', 'var/www/x'], cli.env)), /sftp_user\.shell_folder/);
    const other = (await seedHosting(cli.m, { offer: { maxFtpUsers: 2, sshAllowed: false } })).hosting.name as string;
    assert.match(oneLineError(await abri(['sftp-user', 'add', 'dev', '--hosting', other, '--shell'], cli.env)), /sftp_user\.shell_not_allowed/);
  });
});
