// `abri db` and `abri db-user` against a real manager (no MariaDB: the agent side is
// test/agent-databases.test.ts): names without the prefix on creation, passwords printed once,
// grant and revoke, usage, removal, and errors in one line (usage errors exit 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('database commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('db add (with --user), db-user add/grant/revoke/password, db list/show/usage, remove', async () => {
    const { hosting } = await seedHosting(cli.m, { offer: { maxDatabases: 3 } });
    await json('server', 'add', '--name', 'db-1', '--role', 'database', '--address', '192.0.2.80');
    const h = hosting.name as string;

    const added = await run('db', 'add', 'wp', '--hosting', h, '--user');
    assert.match(added, new RegExp(`^database ${h}_wp created on 192\\.0\\.2\\.80:3306 with user ${h}_wp; its password is shown only this once`));
    assert.match(added, /^\s+password\s+[A-Za-z0-9]{24}$/m);

    const shop = await json('db', 'add', 'shop', '--hosting', h);
    assert.equal(shop.name, `${h}_shop`);
    assert.equal(shop.user, undefined);

    const user = await json('db-user', 'add', 'reader', '--hosting', h, '--db', `${h}_shop`);
    assert.match(user.password, /^[A-Za-z0-9]{24}$/);
    assert.deepEqual(user.databases, [`${h}_shop`]);
    assert.deepEqual((await json('db-user', 'grant', user.name, `${h}_wp`)).databases, [`${h}_shop`, `${h}_wp`]);
    assert.deepEqual((await json('db-user', 'revoke', user.name, `${h}_shop`)).databases, [`${h}_wp`]);
    const reset = await json('db-user', 'password', user.name);
    assert.notEqual(reset.password, user.password);

    const table = await run('db', 'list', '--hosting', h);
    assert.match(table, /^name\s+host\s+port\s+users\s+size\s+writes\s+status/);
    assert.match(table, new RegExp(`^${h}_wp\\s+192\\.0\\.2\\.80\\s+3306\\s+${h}_reader,${h}_wp\\s+not measured yet\\s+allowed\\s+pending$`, 'm'));
    const users = await json('db-user', 'list', '--hosting', h);
    assert.equal(users.total, 2);
    assert.equal((await json('db', 'show', `${h}_wp`)).name, `${h}_wp`);
    const usage = await json('db', 'usage', '--hosting', h);
    assert.deepEqual(usage.databases, { used: 2, max: 3 });

    assert.match(await run('db', 'remove', `${h}_shop`), new RegExp(`^database ${h}_shop removed`));
    assert.match(await run('db-user', 'remove', user.name), new RegExp(`^database user ${user.name} removed`));
    assert.equal((await json('db', 'list', '--hosting', h)).total, 1);

    assert.match(oneLineError(await abri(['db', 'add', 'Bad-Name', '--hosting', h], cli.env)), /request\.validation|a-z/);
    assert.match(oneLineError(await abri(['db', 'add', 'wp', '--hosting', h], cli.env)), /database\.name_taken/);
    assert.match(oneLineError(await abri(['db', 'add', 'x'], cli.env), 2), /--hosting/);
    assert.match(oneLineError(await abri(['db-user', 'grant', 'nobody'], cli.env), 2), /databases/);
  });
});
