// `abri dunning …` against a real manager: the settings shown, changed and refused (one clear line,
// non-zero exit; a usage error exits 2), an invoice's dunning shown with its next step, paused and
// resumed (for the invoice and for its customer), and listed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';
import { invoicedHosting } from './helpers/billing.js';
import { ManualClock } from '../src/platform/clock.js';

describe('dunning commands over the API', () => {
  // a fixed clock: "0 days after its due date" must not become 1 when the test runs across midnight
  const cli = cliWithManager({ clock: new ManualClock('2026-12-01T10:00:00Z') });
  const { json, run } = cli;

  it('sets dunning up, shows, pauses and resumes an invoice\'s and a customer\'s', async () => {
    assert.match(await run('dunning', 'settings'), /^dunning is off: reminders on days 7, 15, suspension on day 30, termination on day 60$/m);
    assert.match(await run('dunning', 'settings', '--on', '--reminders', '5,10', '--suspend-day', '20', '--terminate-day', '45'), /^dunning is on: reminders on days 5, 10, suspension on day 20, termination on day 45$/m);
    assert.match(oneLineError(await abri(['dunning', 'settings', '--reminders', '10,5'], cli.env)), /reminder days must increase/);
    oneLineError(await abri(['dunning', 'settings', '--suspend-day', 'soon'], cli.env), 2);
    assert.equal((await json('dunning', 'settings')).suspendDay, 20);

    const m = cli.m;
    const { customer: c, hosting: h, invoice: inv } = await invoicedHosting(m, 1200);

    const shown = await run('dunning', 'show', inv.number);
    assert.match(shown, new RegExp(`^invoice ${inv.number}: none, 12\\.00 EUR owed, 0 days after its due date$`, 'm'));
    assert.match(shown, /^next: reminder 1 on \d{4}-\d{2}-\d{2}$/m);
    assert.match(await run('dunning', 'pause', inv.number, '--note', 'payment plan'), /paused$/m);
    assert.match(await run('dunning', 'pause', inv.number), /was paused already/);
    const paused = await json('dunning', 'show', inv.number);
    assert.deepEqual([paused.state, paused.paused.note, paused.next], ['paused', 'payment plan', null]);
    assert.match(await run('dunning', 'resume', inv.number), /resumed$/m);
    assert.match(await run('dunning', 'pause-customer', String(c.number), '--note', 'dispute'), /paused$/m);
    assert.equal((await json('dunning', 'show', inv.number)).paused.customer, true);
    assert.match(await run('dunning', 'resume-customer', c.id), /resumed$/m);
    assert.match(await run('dunning', 'resume-customer', c.id), /was not paused/);
    const list = await run('dunning', 'list', '--customer', String(c.number));
    assert.match(list, new RegExp(`${inv.number}\\s+${h.name}`));
    assert.match(oneLineError(await abri(['dunning', 'show', 'F2026-999999'], cli.env)), /invoice/i);
  });
});
