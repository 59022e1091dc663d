// The HTML of the public works page: per language a list (under way, upcoming, finished, the
// record) and one page per work with its history. Plain HTML and one small stylesheet: readable
// without JavaScript, landmarks and headings in order, times in <time>.
import { isFinal } from './rules.js';
import { calendarBody, viewWords } from './render-site-calendar.js';
import { affectsText, duration, esc, langs, monthName, textIn, when, words, workPath, type Lang, type PublicWork, type WorksSiteInput } from './render-site-text.js';

const other = (lang: Lang): Lang => (lang === 'fr' ? 'en' : 'fr');
const time = (lang: Lang, iso: string) => `<time datetime="${esc(iso)}">${esc(when(lang, iso))}</time>`;
const paragraphs = (text: string) => text.split(/\n{2,}/).filter(Boolean).map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('\n');

/** The list and the calendar link to each other; `current` is the one shown (none on a work's page). */
function views(lang: Lang, up: string, current: 'list' | 'calendar' | null): string {
  const v = viewWords(lang);
  const link = (view: 'list' | 'calendar', file: string) => `<a href="${up}${lang}/${file}"${view === current ? ' aria-current="page"' : ''}>${v[view]}</a>`;
  return `<nav aria-label="${v.views}"><p>${link('list', 'index.html')} · ${link('calendar', 'calendar.html')}</p></nav>`;
}

function page(lang: Lang, depth: number, title: string, site: WorksSiteInput, alternate: string, body: string, current: 'list' | 'calendar' | null = null): string {
  const up = '../'.repeat(depth);
  const t = words[lang];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${up}style.css">
<link rel="alternate" type="application/atom+xml" href="${up}${lang}/atom.xml" title="${esc(t.atom)}">
<link rel="alternate" type="application/feed+json" href="${up}${lang}/feed.json" title="${esc(t.json)}">
<link rel="alternate" hreflang="${other(lang)}" href="${up}${alternate}">
</head>
<body>
<header>
<p class="site"><a href="${up}${lang}/index.html">${esc(site.title)}</a></p>
<p class="lang"><a href="${up}${alternate}" hreflang="${other(lang)}" lang="${other(lang)}">${words[other(lang)].language}</a></p>
</header>
${views(lang, up, current)}
<main>
${body}
</main>
<footer>
<p>${t.subscribe}${t.colon} <a href="${up}${lang}/atom.xml">${t.atom}</a> · <a href="${up}${lang}/works.ics">${t.ical}</a> · <a href="${up}${lang}/feed.json">${t.json}</a></p>
<p>${t.generated} ${time(lang, site.now)}.</p>
</footer>
</body>
</html>
`;
}

/** Planned and actual times of a work, in one line each. */
function timesOf(lang: Lang, w: PublicWork): string[] {
  const t = words[lang];
  const lines: string[] = [];
  if (w.plannedStart && w.plannedEnd && w.plannedMinutes) {
    lines.push(`${t.planned}${t.colon} ${t.from} ${time(lang, w.plannedStart)} ${t.to} ${time(lang, w.plannedEnd)} (${t.plannedDuration} ${duration(lang, w.plannedMinutes)})`);
  }
  if (w.startedAt) {
    const end = w.endedAt ? ` ${t.to} ${time(lang, w.endedAt)}` : '';
    const actual = w.actualMinutes !== null ? ` (${t.actualDuration} ${duration(lang, w.actualMinutes)}${w.heldPlan === null ? '' : `, ${w.heldPlan ? t.heldYes : t.heldNo}`})` : '';
    lines.push(`${t.actual}${t.colon} ${w.endedAt ? t.from + ' ' : ''}${time(lang, w.startedAt)}${end}${actual}`);
  }
  return lines;
}

function item(lang: Lang, w: PublicWork): string {
  const t = words[lang];
  const lines = [`${t.kinds[w.kind]} · <span class="state state-${w.state}">${t.states[w.state]}</span>`, `${t.affects}${t.colon} ${esc(affectsText(lang, w))}`, ...timesOf(lang, w)];
  return `<li><h3><a href="works/${w.number}.html">#${w.number} ${esc(textIn(lang, w.title))}</a></h3>\n${lines.map((l) => `<p>${l}</p>`).join('\n')}</li>`;
}

function section(lang: Lang, id: string, heading: string, works: PublicWork[], none: string): string {
  const list = works.length ? `<ul class="works">\n${works.map((w) => item(lang, w)).join('\n')}\n</ul>` : `<p>${none}</p>`;
  return `<section aria-labelledby="${id}">\n<h2 id="${id}">${heading}</h2>\n${list}\n</section>`;
}

function recordSection(lang: Lang, site: WorksSiteInput): string {
  const t = words[lang];
  const r = site.record;
  const body = r.finished === 0 ? `<p>${t.recordNone}</p>` : `<p>${t.recordShare(r.held, r.finished, Math.round((r.share ?? 0) * 100))}</p>
<table>
<thead><tr><th scope="col">${t.month}</th><th scope="col">${t.finished}</th><th scope="col">${t.held}</th></tr></thead>
<tbody>
${r.months.map((m) => `<tr><th scope="row">${esc(monthName(lang, m.month))}</th><td>${m.finished}</td><td>${m.held}</td></tr>`).join('\n')}
</tbody>
</table>`;
  return `<section aria-labelledby="record">\n<h2 id="record">${t.record}</h2>\n${body}\n</section>`;
}

/** The list of a language: works under way, upcoming (soonest first), finished (latest first), the record. */
export function listPage(lang: Lang, site: WorksSiteInput): string {
  const t = words[lang];
  const open = site.works.filter((w) => !isFinal(w.state));
  const now = open.filter((w) => w.state !== 'planned');
  const upcoming = open.filter((w) => w.state === 'planned').sort((a, b) => (a.plannedStart ?? '').localeCompare(b.plannedStart ?? '') || a.number - b.number);
  const past = site.works.filter((w) => isFinal(w.state)).sort((a, b) => (b.endedAt ?? b.updatedAt).localeCompare(a.endedAt ?? a.updatedAt) || b.number - a.number);
  const body = [`<h1>${esc(site.title)} — ${t.works}</h1>`, section(lang, 'now', t.now, now, t.noneNow), section(lang, 'upcoming', t.upcoming, upcoming, t.noneUpcoming),
    section(lang, 'past', t.past, past, t.nonePast), recordSection(lang, site)].join('\n');
  return page(lang, 1, `${t.works} — ${site.title}`, site, `${other(lang)}/index.html`, body, 'list');
}

/** The calendar of a language: a month table per month, the planned works on their days. */
export function calendarPage(lang: Lang, site: WorksSiteInput): string {
  return page(lang, 1, `${viewWords(lang).calendar} — ${site.title}`, site, `${other(lang)}/calendar.html`, calendarBody(lang, site), 'calendar');
}

function event(lang: Lang, h: PublicWork['history'][number]): string {
  const t = words[lang];
  const plan = (start: string | null, minutes: number | null) => (start ? `${time(lang, start)}${minutes ? ` (${duration(lang, minutes)})` : ''}` : '—');
  const what = h.event === 'created' ? t.created
    : h.event === 'plan' ? t.moved(plan(h.previousStart, h.previousMinutes), plan(h.plannedStart, h.plannedMinutes))
      : h.event === 'state' && h.state ? t.reached(t.states[h.state]) : t.note;
  const text = textIn(lang, h.text);
  return `<li>${time(lang, h.at)} — ${what}${text ? `\n${paragraphs(text)}` : ''}</li>`;
}

/** One work: what, what it affects, planned and actual times, its text and its whole history. */
export function workPage(lang: Lang, site: WorksSiteInput, w: PublicWork): string {
  const t = words[lang];
  const title = `#${w.number} ${textIn(lang, w.title)}`;
  const body = `<p><a href="../index.html">${t.back}</a></p>
<article>
<h1>${esc(title)}</h1>
<p>${t.kind}${t.colon} ${t.kinds[w.kind]} · ${t.state}${t.colon} <span class="state state-${w.state}">${t.states[w.state]}</span></p>
<p>${t.affects}${t.colon} ${esc(affectsText(lang, w))}</p>
${timesOf(lang, w).map((l) => `<p>${l}</p>`).join('\n')}
${paragraphs(textIn(lang, w.text))}
<section aria-labelledby="history">
<h2 id="history">${t.history}</h2>
<ol class="history">
${w.history.map((h) => event(lang, h)).join('\n')}
</ol>
</section>
</article>`;
  return page(lang, 2, `${title} — ${site.title}`, site, workPath(other(lang), w.number), body);
}

/** The root: the page in both languages. */
export function rootPage(site: WorksSiteInput): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(site.title)}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main>
<h1>${esc(site.title)}</h1>
<ul class="langs">
${langs.map((l) => `<li><a href="${l}/index.html" hreflang="${l}" lang="${l}">${words[l].works} — ${words[l].language}</a></li>`).join('\n')}
</ul>
</main>
</body>
</html>
`;
}

export const stylesheet = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:50rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
header{display:flex;justify-content:space-between;align-items:baseline}
a{color:#0b57a4}
ul.works{list-style:none;padding:0}
ul.works li{border-top:1px solid #ccc;padding:.5rem 0}
h3{margin:.25rem 0;font-size:1.1rem}
p{margin:.25rem 0}
.state{font-weight:bold}
.state-in_progress,.state-investigating,.state-identified{color:#8a3b00}
.state-done,.state-resolved{color:#1d6b2f}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
ol.history li{margin-bottom:.5rem}
nav p{margin:.5rem 0}
nav a[aria-current]{font-weight:bold;text-decoration:none}
table.calendar{width:100%;table-layout:fixed;margin-bottom:1rem}
table.calendar td{vertical-align:top;height:4rem;font-size:.85rem;overflow-wrap:anywhere}
table.calendar td.out{background:#f3f3f3}
table.calendar td.today{outline:3px solid #0b57a4;outline-offset:-3px}
table.calendar ul{list-style:none;margin:0;padding:0}
table.calendar .day{font-weight:bold}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:2rem;border-top:1px solid #ccc;font-size:.9rem}
@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}table.calendar td.out{background:#222}a{color:#8cc4ff}.state-in_progress,.state-investigating,.state-identified{color:#ffb37a}.state-done,.state-resolved{color:#8fd49f}}
`;
