// `abri mail-domain`, `abri mailbox`, `abri mail-alias` against a real manager (no Postfix or Dovecot:
// the agent side is test/agent-mail.test.ts): a domain of the hosting's site, a mailbox with its
// password printed once and its client settings, quota and disable, aliases, errors in one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('mail commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('mail-domain, mailbox and mail-alias add/list/show/passwd/set/remove', async () => {
    await json('server', 'add', '--name', 'mail-1', '--role', 'mail', '--address', '192.0.2.93');
    const { hosting } = await seedHosting(cli.m, { offer: { maxMailboxes: 2, mailMb: 100 } });
    const h = hosting.name as string;
    await json('site', 'add', 'cli-mail.test', '--hosting', h);

    assert.match(await run('mail-domain', 'add', 'cli-mail.test', '--hosting', h), /^mail domain cli-mail\.test added on 192\.0\.2\.93; no DNS records/);
    assert.match(oneLineError(await abri(['mail-domain', 'add', 'other.test', '--hosting', h], cli.env)), /mail_domain\.not_in_hosting/);
    // a domain whose DNS is elsewhere: the records to set there are printed
    await json('site', 'add', 'cli-mail-ext.test', '--hosting', h, '--external-dns');
    const ext = await run('mail-domain', 'add', 'cli-mail-ext.test', '--hosting', h);
    assert.match(ext, /no DNS records: the mail server's name is not a host name/, 'no platform domain, and mail-1 is no host name');
    await json('server', 'add', '--name', 'mail-2.cli-mail.example', '--role', 'mail', '--address', '192.0.2.94');
    const { hosting: h2 } = await seedHosting(cli.m);
    await json('site', 'add', 'cli-mail-ext2.test', '--hosting', h2.name as string, '--external-dns');
    const ext2 = await run('mail-domain', 'add', 'cli-mail-ext2.test', '--hosting', h2.name as string);
    assert.match(ext2, /its DNS is elsewhere: set these records there/);
    assert.match(ext2, /^ {2}cli-mail-ext2\.test MX 10 mail-2\.cli-mail\.example\.$/m);
    assert.match(ext2, /^ {2}_submission\._tcp\.cli-mail-ext2\.test SRV 0 1 587 mail-2\.cli-mail\.example\.$/m);
    assert.equal((await abri(['mail-domain', 'remove', 'cli-mail-ext.test'], cli.env)).code, 0);
    const added = await run('mailbox', 'add', 'joe@cli-mail.test', '--quota', '60');
    assert.match(added, /^mailbox joe@cli-mail\.test created: IMAP 192\.0\.2\.93:993 \(TLS\) or 143 \(STARTTLS\), SMTP 192\.0\.2\.93:587 \(STARTTLS\) or 465 \(TLS\), filters \(ManageSieve\) 192\.0\.2\.93:4190 \(STARTTLS\), login joe@cli-mail\.test; its password is shown only this once/);
    assert.match(added, /^newPassword\s+[A-Za-z0-9]{24}$/m);
    assert.match(oneLineError(await abri(['mailbox', 'add', 'ann@cli-mail.test', '--quota', '41'], cli.env)), /quota\.mail_space_exceeded/);
    const table = await run('mailbox', 'list', '--domain', 'cli-mail.test');
    assert.match(table, /^address\s+quota\s+used\s+state\s+status/);
    assert.match(table, /^joe@cli-mail\.test\s+60 MB\s+enabled\s+pending$/m);
    assert.match((await json('mailbox', 'passwd', 'joe@cli-mail.test')).newPassword, /^[A-Za-z0-9]{24}$/);
    const changed = await json('mailbox', 'set', 'joe@cli-mail.test', '--quota', '50', '--disable');
    assert.deepEqual([changed.quotaMb, changed.enabled], [50, false]);
    assert.match(await run('mail-alias', 'add', 'contact@cli-mail.test', 'joe@cli-mail.test', 'someone@elsewhere.test'), /^mail alias contact@cli-mail\.test → joe@cli-mail\.test, someone@elsewhere\.test/);
    assert.equal((await json('mail-alias', 'list', '--domain', 'cli-mail.test')).total, 1);
    assert.match(oneLineError(await abri(['mail-alias', 'add', 'joe@cli-mail.test', 'x@y.test'], cli.env)), /mail_address\.taken/);
    // the out-of-office reply: set (with its days), shown, switched off keeping its text, removed
    assert.match(await run('mailbox', 'vacation', 'joe@cli-mail.test', '--subject', 'Away', '--message', 'Back on "Monday"; discard;', '--from', '2026-12-20', '--until', '2027-01-04'),
      /^joe@cli-mail\.test: out-of-office reply on \(from 2026-12-20 until 2027-01-04, UTC\), "Away"; each sender gets it at most once every 7 days$/m);
    assert.equal((await json('mailbox', 'vacation', 'joe@cli-mail.test')).message, 'Back on "Monday"; discard;');
    assert.deepEqual([(await json('mailbox', 'vacation', 'joe@cli-mail.test', '--off')).enabled, (await json('mailbox', 'vacation', 'joe@cli-mail.test')).subject], [false, 'Away']);
    assert.match(oneLineError(await abri(['mailbox', 'vacation', 'joe@cli-mail.test', '--from', '2027-01-04', '--until', '2026-12-20'], cli.env)), /vacation\.dates_reversed/);
    assert.match(oneLineError(await abri(['mailbox', 'vacation', 'joe@cli-mail.test', '--off', '--subject', 'x'], cli.env), 2), /go alone/);
    assert.match(oneLineError(await abri(['mailbox', 'vacation', 'joe@cli-mail.test', '--from', 'tomorrow'], cli.env), 2), /YYYY-MM-DD/);
    assert.match(await run('mailbox', 'vacation', 'joe@cli-mail.test', '--remove'), /^joe@cli-mail\.test: out-of-office reply removed$/m);
    assert.match(await run('mailbox', 'vacation', 'joe@cli-mail.test'), /^joe@cli-mail\.test: no out-of-office reply$/m);
    assert.match(oneLineError(await abri(['mailbox', 'vacation', 'joe@cli-mail.test', '--subject', 'Only a subject'], cli.env), 2), /needs --subject and --message/);
    assert.match(await run('mail-alias', 'remove', 'contact@cli-mail.test'), /^mail alias contact@cli-mail\.test removed/);
    assert.match(await run('mailbox', 'remove', 'joe@cli-mail.test'), /^mailbox joe@cli-mail\.test removed/);
    assert.equal((await json('mail-domain', 'show', 'cli-mail.test')).mailboxes, 0);
    // a new DKIM key: the new selector signs, the previous one stays published for 7 days; the record to set when the DNS is elsewhere
    const before = (await json('mail-domain', 'show', 'cli-mail-ext2.test')).dkim.selector as string;
    const rotated = await run('mail-domain', 'dkim-rotate', 'cli-mail-ext2.test');
    assert.match(rotated, new RegExp(`^mail domain cli-mail-ext2\\.test signs with the DKIM key ${before}-2; still published: ${before} until \\d{4}-`));
    assert.match(rotated, new RegExp(`^ {2}${before}-2\\._domainkey\\.cli-mail-ext2\\.test TXT v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$`, 'm'));
    assert.match(oneLineError(await abri(['mail-domain', 'dkim-rotate', 'nowhere.test'], cli.env)), /mail_domain\.not_found/);
    assert.match(oneLineError(await abri(['mailbox', 'list'], cli.env), 2), /--domain/);
  });
});
