// What the `abri` command prints for people: one-line table cells, readable records, and errors
// that say each thing once (the commands themselves are driven in cli.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, describeProblem, formatRecord } from '../src/cli/output.js';

test('output for people: one-line table cells, readable records and errors', () => {
  assert.equal(cell('order failed: DNS problem\nNXDOMAIN looking up A for example.org\n'), 'order failed: DNS problem …');
  assert.equal(cell(['a.org', 'b.org']), 'a.org,b.org');
  assert.equal(cell({ used: 1, max: 3 }), 'used=1 max=3');
  assert.equal(cell('x'.repeat(300)).length, 100);
  assert.equal(cell(null), '');
  assert.equal(
    formatRecord({
      name: 'h100000',
      postalAddress: '1 rue des Lilas\n75000 Paris',
      usage: { sites: { used: 1, max: 3 } },
      names: [{ name: 'a.org', status: 'live' }],
      aliases: [],
    }),
    [
      'name           h100000',
      'postalAddress  1 rue des Lilas',
      '               75000 Paris',
      'usage',
      '  sites',
      '    used  1',
      '    max   3',
      'names',
      '  - name    a.org',
      '    status  live',
      'aliases',
    ].join('\n'),
  );
  // a message the field error repeats is said once; other field errors follow it
  const taken = {
    code: 'site.domain_taken',
    detail: 'a.org is already used by a site on this platform',
    errors: [{ path: 'body.domain', message: 'a.org is already used' }],
  };
  assert.equal(describeProblem(taken, 409), 'a.org is already used by a site on this platform (site.domain_taken)');
  const alias = {
    code: 'site.domain_taken',
    detail: 'www.a.org is already used by a site on this platform',
    errors: [{ path: 'body.aliases.0', code: 'site.domain_taken', message: 'already used by another site' }],
  };
  assert.equal(describeProblem(alias, 409), 'www.a.org is already used by a site on this platform (site.domain_taken)');
  assert.equal(
    describeProblem(
      { code: 'offer.invalid', detail: 'the offer is not valid', errors: [{ path: 'body.phpVersions', message: 'PHP 7.4 is not offered' }] },
      400,
    ),
    'the offer is not valid: phpVersions: PHP 7.4 is not offered (offer.invalid)',
  );
  assert.equal(describeProblem(undefined, 502), 'HTTP 502 (502)');
});
