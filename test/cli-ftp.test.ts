// `abri ftp-user` against a real manager (no Pure-FTPd: the agent side is test/agent-ftp.test.ts):
// names without the prefix on creation, the password printed once, folder and enable/disable,
// removal, and errors in one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('FTP user commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('ftp-user add/list/show/passwd/set/remove', async () => {
    await json('server', 'add', '--name', 'web-1', '--role', 'web', '--address', '192.0.2.91');
    const { hosting } = await seedHosting(cli.m, { offer: { maxFtpUsers: 2 } });
    const h = hosting.name as string;

    const added = await run('ftp-user', 'add', 'web', '--hosting', h);
    assert.match(added, new RegExp(`^FTP user ${h}-web created: curl --ssl-reqd -u ${h}-web ftp://192\\.0\\.2\\.91:2121/ \\(explicit FTPS; passive ports 30000-30099\\); its password is shown only this once`));
    assert.match(added, /^newPassword\s+[A-Za-z0-9]{24}$/m);
    const blog = await json('ftp-user', 'add', 'blog', '--hosting', h, '--folder', 'var/www/blog');
    assert.deepEqual([blog.name, blog.folder, blog.startDirectory], [`${h}-blog`, 'var/www/blog', '/']);
    const table = await run('ftp-user', 'list', '--hosting', h);
    assert.match(table, /^name\s+host\s+port\s+passive\s+folder\s+state\s+status/);
    assert.match(table, new RegExp(`^${h}-blog\\s+192\\.0\\.2\\.91\\s+2121\\s+30000-30099\\s+var/www/blog\\s+enabled\\s+pending$`, 'm'));

    const reset = await json('ftp-user', 'passwd', `${h}-web`);
    assert.match(reset.newPassword, /^[A-Za-z0-9]{24}$/);
    const changed = await json('ftp-user', 'set', `${h}-web`, '--folder', 'var/www/site', '--disable');
    assert.deepEqual([changed.folder, changed.enabled], ['var/www/site', false]);
    assert.equal((await json('ftp-user', 'show', `${h}-web`)).enabled, false);

    assert.match(oneLineError(await abri(['ftp-user', 'add', 'x', '--hosting', h], cli.env)), /quota\.ftp_users_exceeded/);
    assert.match(oneLineError(await abri(['ftp-user', 'set', `${h}-web`, '--folder', '../../etc'], cli.env)), /ftp_user\.folder_invalid/);
    assert.match(await run('ftp-user', 'remove', `${h}-blog`), new RegExp(`^FTP user ${h}-blog removed`));
    assert.equal((await json('ftp-user', 'list', '--hosting', h)).total, 1);
    assert.match(oneLineError(await abri(['ftp-user', 'add', 'x'], cli.env), 2), /--hosting/);
  });
});
