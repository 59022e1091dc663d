import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';

for (const database of testDatabases()) {
  test(`a staff member creates a customer, an offer, a hosting and a site (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const { hosting } = await seedHosting(m);
    assert.match(hosting.name, /^h\d+$/);
    const site = await m.api('POST', `/api/v1/hostings/${hosting.name}/sites`, { domain: 'Exemple.ORG' });
    assert.equal(site.status, 201, JSON.stringify(site.body));
    assert.equal(site.body.domain, 'exemple.org');
    const list = await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=exem`);
    assert.equal(list.body.total, 1);
  });
}
