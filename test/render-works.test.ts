// Golden-file tests of the public works page (test/golden/works/): the list, a page per work, the
// feeds and the calendar, in French and English; and the rules of works, pure.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import '../src/errors.js';
import { goldenTests } from './harness/golden.js';
import { renderWorksSite } from '../src/works/render-site.js';
import { checkTransition, recordOf, timesAfter } from '../src/works/rules.js';
import { duration } from '../src/works/render-site-text.js';

goldenTests('works', renderWorksSite);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'none';
};

test('works: the states each kind goes through', () => {
  assert.equal(code(() => checkTransition('maintenance', 'planned', 'in_progress')), 'none');
  assert.equal(code(() => checkTransition('maintenance', 'planned', 'done')), 'work.transition_refused');
  assert.equal(code(() => checkTransition('maintenance', 'in_progress', 'planned')), 'work.transition_refused');
  assert.equal(code(() => checkTransition('evolution', 'done', 'cancelled')), 'work.finished');
  assert.equal(code(() => checkTransition('incident', 'monitoring', 'investigating')), 'none');
  assert.equal(code(() => checkTransition('incident', 'resolved', 'investigating')), 'work.finished');
  assert.equal(code(() => checkTransition('incident', 'investigating', 'done')), 'work.state_invalid');
  assert.equal(code(() => checkTransition('incident', 'identified', 'identified')), 'work.transition_refused');
});

test('works: actual times, end never before start, never in the future', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const start = new Date('2026-12-02T09:00:00Z');
  assert.deepEqual(timesAfter('planned', 'in_progress', { startedAt: null, endedAt: null }, start, now), { startedAt: start, endedAt: null });
  assert.deepEqual(timesAfter('in_progress', 'done', { startedAt: start, endedAt: null }, now, now), { startedAt: start, endedAt: now });
  assert.equal(code(() => timesAfter('in_progress', 'done', { startedAt: now, endedAt: null }, start, now)), 'work.end_before_start');
  assert.equal(code(() => timesAfter('planned', 'in_progress', { startedAt: null, endedAt: null }, new Date(now.getTime() + 1000), now)), 'work.time_in_future');
});

test('works: the record counts the done works with a plan, per month of their end', () => {
  const w = (planned: number, start: string, end: string, state: 'done' | 'cancelled' = 'done') => ({ state, plannedMinutes: planned, startedAt: new Date(start), endedAt: new Date(end) });
  const r = recordOf([w(30, '2026-10-01T02:00Z', '2026-10-01T02:30Z'), w(30, '2026-10-05T02:00Z', '2026-10-05T02:31Z'), w(10, '2026-11-01T02:00Z', '2026-11-01T02:05Z'),
    w(10, '2026-11-02T02:00Z', '2026-11-02T05:00Z', 'cancelled')]);
  assert.deepEqual(r, { finished: 3, held: 2, share: 2 / 3, months: [{ month: '2026-10', finished: 2, held: 1 }, { month: '2026-11', finished: 1, held: 1 }] });
  assert.deepEqual(recordOf([]), { finished: 0, held: 0, share: null, months: [] });
});

test('works: durations in words', () => {
  assert.deepEqual([duration('fr', 10), duration('en', 90), duration('fr', 1440 + 61), duration('en', 0)], ['10 min', '1 h 30 min', '1 j 1 h 1 min', '0 min']);
});

test('works: the calendar view parses as HTML5 without a single error, and puts each planned work on its days', (t) => {
  const input = JSON.parse(readFileSync(new URL('./golden/works/four-works/input.json', import.meta.url), 'utf8'));
  // a work over midnight shows on both days; a cancelled one is struck through
  input.works.push({ ...input.works[1], id: '00000000-0000-4000-8000-000000000009', number: 9, state: 'cancelled', plannedStart: '2026-12-31T23:30:00.000Z', plannedMinutes: 60,
    plannedEnd: '2027-01-01T00:30:00.000Z', title: { fr: 'Nuit <du> réveillon', en: 'New year <eve>' } });
  const files = renderWorksSite(input);
  for (const lang of ['fr', 'en']) {
    const html = files.find((f) => f.path === `${lang}/calendar.html`)!.content;
    // Debian's html5lib, strict: any parse error (unclosed element, bad nesting, stray character) raises
    const r = spawnSync('/usr/bin/python3', ['-c', 'import html5lib, sys\nhtml5lib.HTMLParser(strict=True).parse(sys.stdin.read())'], { input: html, encoding: 'utf8' });
    if (r.status !== 0 && /No module named .html5lib/.test(r.stderr) && process.env.CI !== 'true') {
      t.skip('python3-html5lib missing');
      return;
    }
    assert.equal(r.status, 0, `${lang}/calendar.html: ${r.stderr}`);
    assert.match(html, /<td class="busy"><span class="day">31<\/span>\n<ul>\n<li class="kind-evolution"><time datetime="2026-12-31T23:30:00.000Z">23:30<\/time> <a href="works\/9.html"><s>#9 (Nuit &lt;du&gt; réveillon|New year &lt;eve&gt;)<\/s><\/a>/);
    assert.match(html, /<td class="busy"><span class="day">1<\/span>\n<ul>\n<li class="kind-evolution">\((suite|continued)\) <a href="works\/9.html">/);
    assert.equal((html.match(/<table class="calendar"/g) ?? []).length, 3, 'November 2026 to January 2027');
    assert.equal((html.match(/aria-current="date"/g) ?? []).length, 1);
  }
});
