// The public works page as static files: exported after each change (a debounced job) into
// ABRI_WORKS_EXPORT_DIR, swapped whole; its Atom feed parses with a real feed parser (Python's
// feedparser) and its iCal feed with a real iCalendar parser (Python's icalendar); the manager
// serves it at /works/; and a separate static web server (python3 -m http.server) keeps answering
// with the latest works after the manager and its database are stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestManager } from './helpers/manager.js';

/** Debian's Python, where python3-feedparser and python3-icalendar install (not another python3 first on the PATH). */
const PYTHON = '/usr/bin/python3';
const python = (code: string, ...args: string[]) => {
  const r = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const hasModule = (m: string) => spawnSync(PYTHON, ['-c', `import ${m}`]).status === 0;

/** Waits for the export to show what a change made (the job runs about a second after it). */
async function exported(file: string, text: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const content = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (content.includes(text)) return content;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${file} never showed "${text}"`);
}

test('the works page is exported, parses, and stays up without the manager', async (t) => {
  const missing = ['feedparser', 'icalendar'].filter((m) => !hasModule(m));
  if (missing.length) {
    if (process.env.CI === 'true') assert.fail(`python3 modules missing: ${missing.join(', ')} (scripts/test-packages.txt)`);
    t.skip(`python3 modules missing: ${missing.join(', ')}`);
    return;
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'abri-works-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const site = path.join(tmp, 'public');
  const m = await startTestManager({ settings: { ABRI_WORKS_EXPORT_DIR: site, ABRI_WORKS_SERVE: '1', ABRI_WORKS_TITLE: 'Travaux de Test', ABRI_WORKS_URL: 'https://status.example.org' } });
  let managerUp = true;
  t.after(async () => {
    if (managerUp) await m.close();
  });

  await exported(path.join(site, 'fr/index.html'), 'Aucun travail en cours.');
  assert.ok(lstatSync(site).isSymbolicLink(), 'the target is a link swapped to each new version');

  const created = await m.api('POST', '/api/v1/works', {
    kind: 'maintenance', title: { fr: 'Bascule du stockage', en: 'Storage switch' }, text: { fr: 'Coupure <brève> & annoncée.', en: 'Short <outage> & told.' },
    affects: { platform: true }, plannedStart: '2030-01-15T02:30:00Z', plannedMinutes: 45,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const n = created.body.number;
  await exported(path.join(site, 'en/index.html'), 'Storage switch');

  await t.test('the Atom feed parses with feedparser', () => {
    const feed = python(`import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "title": d.feed.title, "lang": d.feed.get("language"),
  "entries": [{"title": e.title, "link": e.link, "content": e.content[0].value} for e in d.entries]}))`, path.join(site, 'fr/atom.xml'));
    assert.equal(feed.bozo, false, feed.error);
    assert.equal(feed.title, 'Travaux — Travaux de Test');
    assert.equal(feed.entries.length, 1);
    assert.equal(feed.entries[0].title, `#${n} Maintenance — Bascule du stockage (prévu)`);
    assert.equal(feed.entries[0].link, `https://status.example.org/fr/works/${n}.html`);
    assert.match(feed.entries[0].content, /Coupure <brève> & annoncée\./);
  });

  await t.test('the iCal feed parses with icalendar', () => {
    const cal = python(`import icalendar, json, sys
c = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print(json.dumps([{"summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART").isoformat(), "end": e.decoded("DTEND").isoformat(), "status": str(e["STATUS"]),
  "sequence": int(e["SEQUENCE"]), "description": str(e["DESCRIPTION"])} for e in c.walk("VEVENT")]))`, path.join(site, 'en/works.ics'));
    assert.deepEqual(cal.map((e: { start: string; end: string; status: string; sequence: number }) => [e.start, e.end, e.status, e.sequence]),
      [['2030-01-15T02:30:00+00:00', '2030-01-15T03:15:00+00:00', 'CONFIRMED', 0]]);
    assert.match(cal[0].description, /Short <outage> & told\./);
  });

  await t.test('the manager serves the page at /works/', async () => {
    const page = await fetch(`${m.url}/works/fr/works/${n}.html`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Bascule du stockage/);
    const root = await fetch(`${m.url}/works/`);
    assert.equal(root.status, 200);
    assert.match(await root.text(), /hreflang="en"/);
    assert.equal((await fetch(`${m.url}/works/..%2f..%2fetc/passwd`)).status, 404);
    assert.equal((await fetch(`${m.url}/works/en/works.ics`)).headers.get('content-type'), 'text/calendar; charset=utf-8');
  });

  // a separate static web server, as on a status server
  const server = spawn(PYTHON, ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => server.kill());
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const p = /port (\d+)/.exec(out);
      if (p) resolve(Number(p[1]));
    });
    server.on('exit', (code) => reject(new Error(`http.server exited (${code}): ${out}`)));
  });

  await t.test('the latest change is what stays up after the manager and its database stop', async () => {
    const moved = await m.api('PATCH', `/api/v1/works/${n}`, { plannedStart: '2030-01-15T03:00:00Z', note: { fr: 'Décalé.', en: 'Moved by half an hour.' } });
    assert.equal(moved.status, 200);
    await exported(path.join(site, `en/works/${n}.html`), 'Moved by half an hour.');
    await m.close();
    managerUp = false;
    await assert.rejects(fetch(`${m.url}/api/v1/works`), 'the manager is down');
    const page = await fetch(`http://127.0.0.1:${port}/en/works/${n}.html`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Moved: <time datetime="2030-01-15T02:30:00.000Z">15 January 2030, 02:30 UTC<\/time> \(45 min\) → <time datetime="2030-01-15T03:00:00.000Z">15 January 2030, 03:00 UTC<\/time>/);
    const ics = await (await fetch(`http://127.0.0.1:${port}/fr/works.ics`)).text();
    assert.match(ics, /DTSTART:20300115T030000Z\r\n/);
    assert.match(ics, /SEQUENCE:1\r\n/);
    // versions beside the link: the current one and the one it replaced, no more
    const versions = readdirSync(tmp).filter((e) => e.startsWith('.public.'));
    assert.ok(versions.length >= 1 && versions.length <= 2, versions.join(' '));
  });
});
