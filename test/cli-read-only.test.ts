// `abri platform read-only on|off|status` against a real manager: an admin switches the platform to
// read-only with a message (or from a time), a customer's change then fails in one line carrying the
// message (exit 1), staff switch it off; a missing message is a usage error (exit 2), a customer may
// not switch it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('platform read-only commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('platform read-only status/on/off', async () => {
    assert.match(await run('platform', 'read-only', 'status'), /^read-only: off: the platform is writable$/m);
    assert.match(oneLineError(await abri(['platform', 'read-only', 'on'], cli.env), 2), /--message/);
    assert.match(oneLineError(await abri(['platform', 'read-only', 'on', '--message-fr', 'Fermé'], cli.env), 2), /both languages/);
    assert.match(oneLineError(await abri(['platform', 'read-only', 'on', '--message', 'x', '--at', 'tomorrow'], cli.env), 2), /--at/);

    const scheduled = await json('platform', 'read-only', 'on', '--message', 'Closed for the move', '--at', '2999-01-01T00:00:00Z');
    assert.deepEqual([scheduled.enabled, scheduled.active, scheduled.startsAt], [true, false, '2999-01-01T00:00:00.000Z']);
    assert.match(await run('platform', 'read-only', 'status'), /^read-only: scheduled: read-only from 2999-01-01T00:00:00.000Z$/m);

    const customer = await cli.m.user('c@customer.test');
    const { body: org } = await cli.m.api('POST', '/api/v1/customers', { name: 'Customer Org', contactEmail: 'c@customer.test' });
    assert.equal((await cli.m.join(org.id, 'c@customer.test', 'owner')).status, 201);
    const asCustomer = { ...cli.env, ABRI_TOKEN: customer.token };
    assert.equal((await abri(['customer', 'edit', org.id, '--name', 'Still writable'], asCustomer)).code, 0);

    const on = await run('platform', 'read-only', 'on', '--message-fr', 'Abri ferme : vos données restent lisibles.', '--message-en', 'Abri is closing: your data stays readable.');
    assert.match(on, /^read-only: on: customers change nothing, staff still do\n.*\nmessage \(fr\): Abri ferme : vos données restent lisibles\.\nmessage \(en\): Abri is closing: your data stays readable\.$/m);
    const refused = oneLineError(await abri(['customer', 'edit', org.id, '--name', 'Refused'], asCustomer));
    assert.equal(refused, 'abri: the platform is read-only: Abri is closing: your data stays readable. (platform.read_only)');
    assert.match(oneLineError(await abri(['platform', 'read-only', 'off'], asCustomer)), /auth\.staff_only/);
    // the message is kept: switching on again needs none
    assert.equal((await json('platform', 'read-only', 'off')).active, false);
    assert.equal((await json('platform', 'read-only', 'on')).message.en, 'Abri is closing: your data stays readable.');
    assert.match(await run('platform', 'read-only', 'off'), /^read-only: off: the platform is writable$/m);
    assert.equal((await abri(['customer', 'edit', org.id, '--name', 'Writable again'], asCustomer)).code, 0);
  });
});
