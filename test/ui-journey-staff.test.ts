// The main story in a real browser, the staff's part: logins repeated with a wrong password are told
// how long to wait; staff log in with the keyboard, create a customer (field errors first), an offer
// and a hosting, invite the customer's owner, renew and revoke another invitation, whose dead links
// say to ask for a new one. axe-core checks every main page. (ui-journey-customer, ui-journey-access:
// the rest of the story.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, logOut, missingKeys, openPage, screenshot, tableRows } from './helpers/browser.js';
import { secretOf, startJourney } from './helpers/ui-journey.js';

test('the staff’s part of the journey in the web UI', browserTest(), async (t) => {
  const { m, browser, staff, page } = await startJourney(t);
  let customerUrl = '';
  let invitation = '';
  const deadLinks: string[] = [];

  await t.test('a wrong password, repeated, is slowed down: the login form says how long to wait', async () => {
    const ui = await openPage(browser);
    await ui.page.goto(`${m.url}/login`);
    await heading(ui.page, 'Log in');
    const said: string[] = [];
    for (let i = 0; i < 5 && !said.some((x) => x.startsWith('Too many')); i++) {
      await ui.page.getByLabel('Email').fill('nobody@amis-du-jardin.test');
      await ui.page.getByLabel('Password').fill(`wrong password ${i}`);
      await ui.page.getByRole('button', { name: 'Log in' }).click();
      const error = ui.page.getByTestId('form-error');
      await error.waitFor();
      said.push(await error.innerText());
      await ui.page.getByLabel('Password').fill('');
    }
    assert.equal(said[0], 'Wrong email or password.');
    assert.match(said.at(-1)!, /^Too many attempts\. Wait \d+ (seconds?|minutes?), then try again\.$/, said.join(' | '));
    await assertAccessible(ui.page, 'login slowed down');
    await ui.context.close();
  });

  await t.test('staff log in with the keyboard only, with a visible focus', async () => {
    await page.goto(`${m.url}/login`);
    await heading(page, 'Log in');
    await page.keyboard.press('Tab'); // language buttons come first in the header
    let guard = 0;
    while (!(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'email')) && guard++ < 10) await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused field shows a focus ring');
    await page.keyboard.type('admin@abri.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await heading(page, 'Customers');
    await assertAccessible(page, 'staff customers list');
  });

  await t.test('staff create a customer; the API’s field errors show next to the field', async () => {
    await page.getByRole('link', { name: 'New customer' }).click();
    await heading(page, 'New customer');
    await page.getByLabel('Name').fill('Les Amis du Jardin');
    await page.getByLabel('Contact email').fill('not an email');
    await page.getByRole('button', { name: 'New customer' }).click();
    const fieldError = page.locator('.field', { has: page.getByLabel('Contact email') }).getByTestId('field-error');
    // by its code when the API gives a specific one (format email), else the API's English sentence
    assert.match(await fieldError.innerText(), /^(Enter an email address, like name@example\.org\.|must be an email address)$/);
    await assertAccessible(page, 'customer form with errors');
    await page.getByLabel('Contact email').fill('bureau@amis-du-jardin.test');
    await page.getByLabel('Postal address').fill('12 rue des Lilas\n44000 Nantes');
    await page.getByRole('button', { name: 'New customer' }).click();
    await heading(page, /^Customer \d+ · Les Amis du Jardin$/);
    customerUrl = new URL(page.url()).pathname;
    assert.match(customerUrl, /^\/customers\/\d+$/, 'a customer’s address holds its number');
  });

  await t.test('staff create an offer', async () => {
    await page.getByRole('link', { name: 'Offers' }).click();
    await page.getByRole('link', { name: 'New offer' }).click();
    await heading(page, 'New offer');
    // the API's defaults are there from the start; every problem is shown at once, the empty name too
    assert.equal(await page.getByLabel('PHP processes at once', { exact: true }).inputValue(), '5');
    assert.equal(await page.getByLabel('PHP memory per process (MB)', { exact: true }).inputValue(), '256');
    await page.getByLabel('Disk (MB)', { exact: true }).fill('lots');
    await page.getByRole('button', { name: 'New offer' }).click();
    const errorOf = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).getByTestId('field-error');
    assert.equal(await errorOf('Name').innerText(), 'This field is required.');
    assert.equal(await errorOf('Price per billing cycle').innerText(), 'Enter a number.');
    assert.equal(await errorOf('Disk (MB)').innerText(), 'Enter a number.');
    await assertAccessible(page, 'offer form with errors');
    await page.getByLabel('Name').fill('Association 5 Go');
    await page.getByLabel('Price per billing cycle').fill('4.50');
    await page.getByLabel('Billing cycle', { exact: true }).selectOption('yearly');
    for (const [label, value] of [['Disk (MB)', '5000'], ['Sites', '10'], ['Mailboxes', '10'], ['Mail storage (MB)', '5000'], ['Databases', '3'], ['Database storage (MB)', '1000'], ['FTP users', '2']]) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByLabel('PHP versions').fill('8.2, 8.3');
    await page.getByRole('button', { name: 'New offer' }).click();
    await heading(page, 'Offers');
    await page.locator('.data-table').getByText('Association 5 Go', { exact: true }).waitFor(); // the list refetched after the creation
    const rows = await tableRows(page);
    assert.ok(rows.some((r) => r[0] === 'Association 5 Go' && r[1].includes('4.50') && r[2] === '5 GB'), JSON.stringify(rows));
    await assertAccessible(page, 'offers list');
    await screenshot(page, 'staff-offers');
  });

  await t.test('staff create a hosting for the customer with the offer', async () => {
    await page.goto(`${m.url}${customerUrl}`);
    await page.getByRole('link', { name: 'New hosting' }).click();
    await heading(page, 'New hosting');
    await page.getByLabel('Offer', { exact: true }).selectOption({ label: 'Association 5 Go' });
    await page.getByRole('button', { name: 'New hosting' }).click();
    await heading(page, /^Hosting h\d+$/);
    assert.match(new URL(page.url()).pathname, /^\/hostings\/h\d+$/, 'a hosting’s address holds its name');
    assert.match(await page.getByTestId('quota').first().innerText(), /Sites\s+0 of 10/);
    await assertAccessible(page, 'staff hosting page');
  });

  await t.test('staff invite a customer user as owner and get the invitation link', async () => {
    await page.goto(`${m.url}${customerUrl}`);
    await heading(page, /Les Amis du Jardin/);
    const invite = page.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Email').fill('tresoriere@amis-du-jardin.test');
    await invite.getByLabel('Role').selectOption('owner');
    await invite.getByRole('button', { name: 'Invite' }).click();
    invitation = await page.getByTestId('secret-value').innerText();
    assert.match(invitation, /\/invitation#.{16,}/);
    // waiting for its answer, not among the people with access
    const waiting = page.getByTestId('invitations').getByRole('row', { name: /tresoriere@amis-du-jardin\.test/ });
    await waiting.waitFor();
    assert.match(await waiting.innerText(), /tresoriere@amis-du-jardin\.test\s+owner\s+until .+\s+admin@abri\.test/);
    assert.equal(await page.getByTestId('people').getByText('tresoriere@amis-du-jardin.test').count(), 0);
    await assertAccessible(page, 'customer page');
    await screenshot(page, 'staff-customer');
  });

  await t.test('staff renew an invitation (a new link, the old one dies) and revoke it', async () => {
    const invite = page.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Email').fill('secretariat@amis-du-jardin.test');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await page.getByTestId('secret-value').filter({ hasNotText: invitation }).waitFor();
    const first = await page.getByTestId('secret-value').innerText();
    await page.getByRole('button', { name: 'New link for secretariat@amis-du-jardin.test' }).click();
    const renew = page.getByRole('dialog', { name: 'Send a new link to secretariat@amis-du-jardin.test?' });
    assert.match(await renew.innerText(), /the old link stops working/);
    await assertAccessible(page, 'renewal dialog');
    await renew.getByRole('button', { name: 'Make a new link' }).click();
    await page.getByTestId('secret-value').filter({ hasNotText: first }).waitFor();
    const second = await page.getByTestId('secret-value').innerText();
    assert.match(await page.locator('.secret').innerText(), /replaces the previous one and is on its way to secretariat@amis-du-jardin\.test by e-mail/);
    await page.getByRole('button', { name: 'Revoke the invitation of secretariat@amis-du-jardin.test', exact: true }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke the invitation of secretariat@amis-du-jardin.test?' });
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('invitations').getByText('secretariat@amis-du-jardin.test', { exact: true }).waitFor({ state: 'detached' }); // not the dialogs' texts
    deadLinks.push(first, second);
    await logOut(page);
  });

  await t.test('a renewed or revoked link says to ask for a new one', async () => {
    const ui = await openPage(browser);
    for (const link of deadLinks) {
      await ui.page.goto('about:blank'); // a new #secret on the same page would not load it again
      await ui.page.goto(`${m.url}/invitation#${secretOf(link)}`);
      await heading(ui.page, 'Welcome to Abri');
      const notice = ui.page.getByTestId('invitation-unusable');
      await notice.waitFor();
      assert.match(await notice.innerText(), /This invitation cannot be used[\s\S]*Ask the person who invited you for a new link/);
    }
    await assertAccessible(ui.page, 'unusable invitation');
    await ui.context.close();
  });

  await t.test('no missing translation and no page error along the way', async () => {
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(staff.problems, []);
  });
});
