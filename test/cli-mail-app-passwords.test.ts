// `abri mailbox app-password add|list|remove` against a real manager (signing in with them on a real
// Dovecot is test/agent-mail-clients.test.ts): printed once, listed without the password, revoked by
// name or id, errors in one line with a non-zero exit (2 for a usage error).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('app password commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('mailbox app-password add/list/remove', async () => {
    await json('server', 'add', '--name', 'mail-1', '--role', 'mail', '--address', '192.0.2.95');
    const { hosting } = await seedHosting(cli.m, { offer: { maxMailboxes: 1, mailMb: 10 } });
    await json('site', 'add', 'cli-apps.test', '--hosting', hosting.name as string);
    await json('mail-domain', 'add', 'cli-apps.test', '--hosting', hosting.name as string);
    await json('mailbox', 'add', 'joe@cli-apps.test', '--quota', '10');

    const added = await run('mailbox', 'app-password', 'add', 'joe@cli-apps.test', 'Phone');
    assert.match(added, /^app password "Phone" added to joe@cli-apps\.test: sign in as joe@cli-apps\.test with it \(IMAP, POP3, SMTP\); it is shown only this once$/m);
    const password = /^password\s+([A-Za-z0-9]{24})$/m.exec(added)?.[1];
    assert.ok(password, added);
    const laptop = await json('mailbox', 'app-password', 'add', 'joe@cli-apps.test', 'Laptop');
    assert.match(laptop.password, /^[A-Za-z0-9]{24}$/);
    const table = await run('mailbox', 'app-password', 'list', 'joe@cli-apps.test');
    assert.match(table, /^name\s+createdAt\s+id/);
    assert.match(table, /^Phone\s+\S+\s+[0-9a-f-]{36}$/m);
    assert.ok(!table.includes(password!) && !table.includes(laptop.password), 'never printed again');
    assert.match(oneLineError(await abri(['mailbox', 'app-password', 'add', 'joe@cli-apps.test', 'phone'], cli.env)), /app_password\.taken/);
    assert.match(await run('mailbox', 'app-password', 'remove', 'joe@cli-apps.test', 'PHONE'), /^app password "Phone" of joe@cli-apps\.test revoked$/m);
    assert.match(oneLineError(await abri(['mailbox', 'app-password', 'remove', 'joe@cli-apps.test', 'Phone'], cli.env)), /has no app password "Phone"/);
    assert.deepEqual((await json('mailbox', 'app-password', 'remove', 'joe@cli-apps.test', laptop.id)).removed, true);
    assert.equal((await json('mailbox', 'app-password', 'list', 'joe@cli-apps.test')).items.length, 0);
    assert.match(oneLineError(await abri(['mailbox', 'app-password', 'list', 'nobody@cli-apps.test'], cli.env)), /mailbox\.not_found/);
    oneLineError(await abri(['mailbox', 'app-password', 'add', 'joe@cli-apps.test'], cli.env), 2);
  });
});
