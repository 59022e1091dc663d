// The feeds of the public works page, per language: Atom (RFC 4287), JSON Feed 1.1, and an iCalendar
// (RFC 5545) of the planned works — each plan change raises its SEQUENCE, a cancelled work stays as
// STATUS:CANCELLED, so subscribed calendars follow the moves.
import { isFinal } from './rules.js';
import { affectsText, duration, esc, textIn, when, words, workPath, type Lang, type PublicWork, type WorksSiteInput } from './render-site-text.js';

const titleOf = (lang: Lang, w: PublicWork) => `#${w.number} ${words[lang].kinds[w.kind]} — ${textIn(lang, w.title)} (${words[lang].states[w.state]})`;

/** The work and its latest updates as plain text (newest first). */
function summaryText(lang: Lang, w: PublicWork): string {
  const t = words[lang];
  const lines = [`${t.affects}${t.colon} ${affectsText(lang, w)}`];
  if (w.plannedStart && w.plannedMinutes) lines.push(`${t.planned}${t.colon} ${when(lang, w.plannedStart)} (${t.plannedDuration} ${duration(lang, w.plannedMinutes)})`);
  if (w.startedAt) lines.push(`${t.started}${t.colon} ${when(lang, w.startedAt)}`);
  if (w.endedAt) lines.push(`${t.ended}${t.colon} ${when(lang, w.endedAt)}${w.actualMinutes !== null ? ` (${t.actualDuration} ${duration(lang, w.actualMinutes)})` : ''}`);
  const text = textIn(lang, w.text);
  const updates = [...w.history].reverse().map((h) => textIn(lang, h.text) && `${when(lang, h.at)}${t.colon} ${textIn(lang, h.text)}`).filter(Boolean);
  return [lines.join('\n'), text, ...updates].filter(Boolean).join('\n\n');
}

export function atomFeed(lang: Lang, site: WorksSiteInput): string {
  const base = site.publicUrl;
  const updated = site.works.reduce((m, w) => (w.updatedAt > m ? w.updatedAt : m), '1970-01-01T00:00:00.000Z');
  const entries = site.works.map((w) => `<entry>
<id>${esc(`${base}/${workPath(lang, w.number)}`)}</id>
<title>${esc(titleOf(lang, w))}</title>
<link rel="alternate" type="text/html" href="${esc(`${base}/${workPath(lang, w.number)}`)}"/>
<published>${w.createdAt}</published>
<updated>${w.updatedAt}</updated>
<category term="${w.kind}"/>
<content type="text">${esc(summaryText(lang, w))}</content>
</entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
<id>${esc(`${base}/${lang}/`)}</id>
<title>${esc(`${words[lang].works} — ${site.title}`)}</title>
<link rel="self" type="application/atom+xml" href="${esc(`${base}/${lang}/atom.xml`)}"/>
<link rel="alternate" type="text/html" href="${esc(`${base}/${lang}/index.html`)}"/>
<updated>${updated}</updated>
<author><name>${esc(site.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}

export function jsonFeed(lang: Lang, site: WorksSiteInput): string {
  const base = site.publicUrl;
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: `${words[lang].works} — ${site.title}`,
    home_page_url: `${base}/${lang}/index.html`,
    feed_url: `${base}/${lang}/feed.json`,
    language: lang,
    items: site.works.map((w) => ({
      id: `${base}/${workPath(lang, w.number)}`,
      url: `${base}/${workPath(lang, w.number)}`,
      title: titleOf(lang, w),
      content_text: summaryText(lang, w),
      date_published: w.createdAt,
      date_modified: w.updatedAt,
      tags: [w.kind, w.state],
      _abri: { number: w.number, kind: w.kind, state: w.state, finished: isFinal(w.state), plannedStart: w.plannedStart, plannedMinutes: w.plannedMinutes,
        startedAt: w.startedAt, endedAt: w.endedAt, actualMinutes: w.actualMinutes, heldPlan: w.heldPlan },
    })),
  }, null, 2) + '\n';
}

/** iCalendar text: backslash, semicolon, comma and newline escaped (RFC 5545 §3.3.11). */
const icalText = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
const icalTime = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

export function icalFeed(lang: Lang, site: WorksSiteInput): string {
  const host = new URL(site.publicUrl).hostname || 'abri';
  const events = site.works.filter((w) => w.plannedStart && w.plannedEnd).map((w) => [
    'BEGIN:VEVENT',
    `UID:work-${w.id}@${host}`,
    `DTSTAMP:${icalTime(w.updatedAt)}`,
    `DTSTART:${icalTime(w.plannedStart!)}`,
    `DTEND:${icalTime(w.plannedEnd!)}`,
    `SEQUENCE:${w.history.filter((h) => h.event === 'plan').length}`,
    `STATUS:${w.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${icalText(titleOf(lang, w))}`,
    `DESCRIPTION:${icalText(summaryText(lang, w))}`,
    `URL:${site.publicUrl}/${workPath(lang, w.number)}`,
    'END:VEVENT',
  ]);
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//Abri//Works//${lang.toUpperCase()}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${icalText(`${words[lang].works} — ${site.title}`)}`, ...events.flat(), 'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
