// The public works page in a real browser, as exported (the golden output of test/golden/works/four-works,
// opened from disk: no server, no JavaScript of ours): both languages, the list and a work's page,
// and the calendar view, accessible (axe), links between the languages and to the work pages working, no script on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertAccessible, browserTest, launchBrowser, openPage } from './helpers/browser.js';

const site = fileURLToPath(new URL('./golden/works/four-works/out/', import.meta.url));
const url = (path: string) => pathToFileURL(site + path).href;

test('the public works page reads well in both languages', browserTest(), async (t) => {
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, context } = await openPage(browser);
  await context.setOffline(true);

  for (const [lang, other, heading, now, record] of [
    ['fr', 'English', 'Travaux de Web4all — Travaux', 'En cours', 'Durées annoncées tenues'],
    ['en', 'Français', 'Travaux de Web4all — Works', 'Under way', 'Announced durations held'],
  ] as const) {
    await page.goto(url(`${lang}/index.html`));
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.getByRole('heading', { level: 2, name: now }).waitFor();
    await page.getByRole('heading', { level: 2, name: record }).waitFor();
    assert.equal(await page.locator('script').count(), 0, 'no JavaScript on the page');
    await assertAccessible(page, `works list (${lang})`);
    await page.getByRole('link', { name: /^#1 / }).click();
    await page.getByRole('heading', { level: 1, name: /^#1 / }).waitFor();
    assert.equal(await page.locator('ol.history li').count(), 4);
    await assertAccessible(page, `work page (${lang})`);
    await page.getByRole('link', { name: other }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), lang === 'fr' ? 'en' : 'fr', 'the other language of the same work');
    await page.getByRole('heading', { level: 1, name: /^#1 / }).waitFor();
  }
  // the calendar view: reached from the list, a month table per month, the planned works on their days
  for (const [lang, list, calendar, month, day] of [['fr', 'Liste', 'Calendrier', 'décembre 2026', 'vendredi'], ['en', 'List', 'Calendar', 'December 2026', 'Friday']] as const) {
    await page.goto(url(`${lang}/index.html`));
    await page.getByRole('navigation').getByRole('link', { name: calendar }).click();
    await page.getByRole('heading', { level: 1, name: `Travaux de Web4all — ${calendar}` }).waitFor();
    const table = page.getByRole('table', { name: month });
    await table.getByRole('columnheader', { name: day }).waitFor();
    assert.equal(await table.locator('td[aria-current="date"]').count(), 1, 'today is marked');
    assert.equal(await table.getByRole('link', { name: /^#3 / }).count(), 1, 'the maintenance of 5 December');
    assert.equal(await page.locator('script').count(), 0);
    await assertAccessible(page, `works calendar (${lang})`);
    await table.getByRole('link', { name: /^#3 / }).click();
    await page.getByRole('heading', { level: 1, name: /^#3 / }).waitFor();
    await page.goBack();
    await page.getByRole('navigation').getByRole('link', { name: list }).click();
    await page.getByRole('heading', { level: 2, name: lang === 'fr' ? 'À venir' : 'Upcoming' }).waitFor();
  }
  await page.goto(url('index.html'));
  assert.equal(await page.getByRole('link').count(), 2);
  await assertAccessible(page, 'works root');
});
