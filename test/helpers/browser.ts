// Browser tests: playwright-core drives Debian's Chromium headless shell (/usr/bin/chromium-headless-shell,
// what Playwright's headless mode runs: the full browser costs a quarter more CPU) against a real manager.
// Under CI=true a missing Chromium fails the tests; locally they are skipped, loudly.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.ABRI_TEST_CHROMIUM ?? '/usr/bin/chromium-headless-shell';
export const screenshotDir = join('test-results', 'screenshots');

/** node:test options for a browser test: skipped locally without Chromium, never under CI. */
export function browserTest(): { skip?: string } {
  if (existsSync(chromiumPath) || process.env.CI === 'true') return {};
  const why = `Chromium not found at ${chromiumPath} (apt-get install chromium-headless-shell, or run npm test)`;
  process.stderr.write(`\n*** browser tests SKIPPED: ${why} ***\n\n`);
  return { skip: why };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is required for the browser tests and is missing at ${chromiumPath}`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface UiPage {
  page: Page;
  context: BrowserContext;
  /** console errors and uncaught page errors seen so far */
  problems: string[];
}

/** A fresh browser context (own cookies) in strict i18n mode, with a given language and width. */
export async function openPage(browser: Browser, opts: { locale?: string; width?: number; height?: number } = {}): Promise<UiPage> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-GB',
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    bypassCSP: true, // lets the test inject axe-core; the app itself runs under the manager's CSP
  });
  await context.addInitScript(() => {
    (window as unknown as { __ABRI_I18N_STRICT__: boolean }).__ABRI_I18N_STRICT__ = true;
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404|409|400)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // net::ERR_ABORTED is a cancellation (a page.goto leaving a page whose requests are in flight, or the
  // app aborting a superseded search), not a failure
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`server error: ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { page, context, problems };
}

/** Runs a step; when it fails, saves a screenshot and adds what the page showed to the error. */
export async function withEvidence<T>(ui: UiPage, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    await screenshot(ui.page, `failure-${name.replace(/[^\w-]+/g, '_')}`).catch(() => undefined);
    const shown = await ui.page.evaluate(() => document.body.innerText.slice(0, 600)).catch(() => '(page gone)');
    (e as Error).message += `\n--- ${name} at ${ui.page.url()}\n${shown}\n--- problems: ${JSON.stringify(ui.problems)}`;
    throw e;
  }
}

/**
 * Where the pages load axe-core from: a loopback server of this test process, answering with a
 * cacheable script. Chromium then keeps its compiled code between the pages of a browser context;
 * given as the text of a script tag (by CDP), its 550 kB were sent, parsed and compiled again at each
 * page: 0.2 s of the browser's CPU per check (measured: 0.66 -> 0.45 s per page with a check; ui-i18n,
 * 44 checks: 94 -> 57 s of the machine's CPU). The pages' CSP does not apply (openPage bypasses it).
 */
let axeUrl: Promise<string> | null = null;
const axeScript = () =>
  (axeUrl ??= new Promise((resolve, reject) => {
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=86400' }).end(axe.source));
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/axe.js`));
    server.unref(); // the test process ends when its tests do
  }));

/** Injects axe-core and fails on any serious or critical violation. */
export async function assertAccessible(page: Page, label: string) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    const url = await axeScript();
    // a context set offline (a page that must need no network) cannot load it: its text then
    await page.addScriptTag({ url }).catch((e: Error) => {
      if (!e.message.includes(`Failed to load script at ${url}`)) throw e;
      return page.addScriptTag({ content: axe.source });
    });
  }
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(violations, [], `accessibility violations on ${label}`);
}

export async function screenshot(page: Page, name: string) {
  await mkdir(screenshotDir, { recursive: true });
  await writeFile(join(screenshotDir, `${name}.png`), await page.screenshot({ fullPage: true }));
}

export async function missingKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __abriMissingKeys?: string[] }).__abriMissingKeys ?? []);
}

/**
 * Waits until the page has settled: a main heading shown, no API call or query under way and React
 * handed every answer (window.__abriIdle, ui/src/api/idle.ts), nothing marked busy. Deterministic,
 * unlike waiting for the network to stay quiet for half a second.
 */
export async function settled(page: Page) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => (window as unknown as { __abriIdle?: () => boolean }).__abriIdle?.() === true && !document.querySelector('[aria-busy="true"], .loading'));
}

/** Waits until the page's main heading says `text` (the app focuses it after each navigation). */
export async function heading(page: Page, text: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

export async function logIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('heading', { level: 1, name: /^(Log in|Connexion)$/ }).waitFor().catch(async (e) => {
    await screenshot(page, 'login-failure');
    throw e;
  });
  await page.getByLabel(/^(Email|Adresse e-mail)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(password);
  await page.getByRole('button', { name: /^(Log in|Se connecter)$/ }).click();
  await page.getByRole('button', { name: /^(Log out|Se déconnecter)$/ }).waitFor();
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: /^(Log out|Se déconnecter)$/ }).click();
  await page.getByRole('heading', { level: 1, name: /^(Log in|Connexion)$/ }).waitFor();
}

/** The rows of the first data table, as arrays of cell texts. */
export async function tableRows(page: Page): Promise<string[][]> {
  // once loaded: a row, or the row saying the list is empty
  await page.locator('.data-table table:not([aria-busy="true"]) tbody tr').first().waitFor();
  return page.locator('.data-table tbody tr').evaluateAll((rows) =>
    rows.filter((r) => !r.querySelector('td.empty')).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText.trim())),
  );
}
