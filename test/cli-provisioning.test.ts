// `abri provisioning …` against a real manager: create (twice: the same hosting), show, suspend,
// unsuspend, change offer, terminate; a conflicting create and an unknown ref in one line; usage
// errors exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('provisioning commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('drives a service by the billing tool\'s ids, each call idempotent', async () => {
    await json('offer', 'add', '--name', 'Asso', '--price', '12');
    await json('offer', 'add', '--name', 'Pro', '--price', '30');
    const args = ['provisioning', 'create', 'whmcs-1042', '--customer', 'client-17', '--name', 'Les Jardins', '--email', 'contact@jardins.test', '--offer', 'Asso'];
    const made = await json(...args);
    assert.deepEqual([made.ref, made.customerRef, made.offerName, made.status], ['whmcs-1042', 'client-17', 'Asso', 'active']);
    assert.equal((await json(...args)).id, made.id);
    assert.match(await run('provisioning', 'show', 'whmcs-1042'), /^service whmcs-1042 \(client client-17\): hosting \w+, offer Asso, active$/m);
    assert.match(await run('provisioning', 'suspend', 'whmcs-1042', '--reason', 'overdue'), /, suspended$/m);
    assert.match(await run('provisioning', 'suspend', 'whmcs-1042'), /, suspended$/m);
    assert.match(await run('provisioning', 'unsuspend', 'whmcs-1042'), /, active$/m);
    assert.match(await run('provisioning', 'offer', 'whmcs-1042', 'Pro'), /offer Pro, active$/m);
    assert.match(oneLineError(await abri(args, cli.env)), /another offer.*provisioning\.conflict/);
    assert.match(await run('provisioning', 'terminate', 'whmcs-1042'), /, terminated$/m);
    assert.match(await run('provisioning', 'terminate', 'whmcs-1042'), /, terminated$/m);
    assert.match(oneLineError(await abri(['provisioning', 'show', 'nope'], cli.env)), /provisioning\.not_found/);
    oneLineError(await abri(['provisioning', 'create', 'x'], cli.env), 2);
    oneLineError(await abri(['provisioning', 'offer', 'x'], cli.env), 2);
  });
});
