// The calendar view of the public works page: per language, one month table per month from the
// month before the export to the month of the last planned work (at least the next month, at most
// a year ahead). Each day lists the planned works it covers, at their planned time (UTC). Plain
// HTML tables — a caption-like heading per month, weekday headers with their full name, today
// marked with aria-current — readable without JavaScript or styles.
import { esc, textIn, words, type Lang, type PublicWork, type WorksSiteInput } from './render-site-text.js';

const calendarWords = {
  fr: {
    calendar: 'Calendrier', list: 'Liste', views: 'Vues', intro: 'Les travaux planifiés, jour par jour (heures UTC).', none: 'Aucun travail planifié ce mois-ci.',
    continued: 'suite', today: 'aujourd\'hui',
    days: [['lun.', 'lundi'], ['mar.', 'mardi'], ['mer.', 'mercredi'], ['jeu.', 'jeudi'], ['ven.', 'vendredi'], ['sam.', 'samedi'], ['dim.', 'dimanche']],
  },
  en: {
    calendar: 'Calendar', list: 'List', views: 'Views', intro: 'Planned works, day by day (times in UTC).', none: 'No work planned this month.',
    continued: 'continued', today: 'today',
    days: [['Mon', 'Monday'], ['Tue', 'Tuesday'], ['Wed', 'Wednesday'], ['Thu', 'Thursday'], ['Fri', 'Friday'], ['Sat', 'Saturday'], ['Sun', 'Sunday']],
  },
} satisfies Record<Lang, unknown>;
export const viewWords = (lang: Lang) => calendarWords[lang];

const MAX_MONTHS = 13;
const DAY_MS = 86_400_000;
/** A work shows on at most this many days (a 30-day plan is the longest allowed). */
const MAX_DAYS = 31;

const two = (n: number) => String(n).padStart(2, '0');
const dayKey = (d: Date) => `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

/** The days each planned work covers (UTC), in order of planned start. */
function worksByDay(works: PublicWork[]): Map<string, Array<{ work: PublicWork; first: boolean }>> {
  const out = new Map<string, Array<{ work: PublicWork; first: boolean }>>();
  const planned = works.filter((w) => w.plannedStart && w.plannedEnd).sort((a, b) => a.plannedStart!.localeCompare(b.plannedStart!) || a.number - b.number);
  for (const work of planned) {
    const start = new Date(work.plannedStart!);
    // a work ending exactly at midnight does not cover the next day
    const last = new Date(Math.max(start.getTime(), new Date(work.plannedEnd!).getTime() - 1));
    let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    for (let i = 0; i < MAX_DAYS && day <= last.getTime(); i++, day += DAY_MS) {
      const key = dayKey(new Date(day));
      (out.get(key) ?? out.set(key, []).get(key)!).push({ work, first: i === 0 });
    }
  }
  return out;
}

/** The months shown: the one before now, to the last planned work's (at least next month, at most MAX_MONTHS). */
function monthsShown(site: WorksSiteInput): Date[] {
  const now = new Date(site.now);
  const first = monthStart(now.getUTCFullYear(), now.getUTCMonth() - 1);
  const ends = site.works.filter((w) => w.plannedEnd).map((w) => new Date(w.plannedEnd!));
  const lastEnd = ends.reduce((m, d) => (d > m ? d : m), monthStart(now.getUTCFullYear(), now.getUTCMonth() + 1));
  const months: Date[] = [];
  for (let m = first; m <= lastEnd && months.length < MAX_MONTHS; m = monthStart(m.getUTCFullYear(), m.getUTCMonth() + 1)) months.push(m);
  return months;
}

function entry(lang: Lang, work: PublicWork, first: boolean): string {
  const t = words[lang];
  const start = new Date(work.plannedStart!);
  const at = first ? `<time datetime="${esc(work.plannedStart!)}">${two(start.getUTCHours())}:${two(start.getUTCMinutes())}</time> ` : `(${calendarWords[lang].continued}) `;
  const cancelled = work.state === 'cancelled';
  const label = `#${work.number} ${esc(textIn(lang, work.title))}`;
  return `<li class="kind-${work.kind}">${at}<a href="works/${work.number}.html">${cancelled ? `<s>${label}</s>` : label}</a> <span class="state state-${work.state}">(${t.states[work.state]})</span></li>`;
}

function monthTable(lang: Lang, month: Date, byDay: ReturnType<typeof worksByDay>, today: string): string {
  const w = calendarWords[lang];
  const id = `m-${month.getUTCFullYear()}-${two(month.getUTCMonth() + 1)}`;
  const title = `${words[lang].months[month.getUTCMonth()]} ${month.getUTCFullYear()}`;
  const lead = (month.getUTCDay() + 6) % 7; // Monday first
  const days = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();
  const cells: string[] = Array.from({ length: lead }, () => '<td class="out"></td>');
  let planned = 0;
  for (let d = 1; d <= days; d++) {
    const key = `${id.slice(2)}-${two(d)}`;
    const items = byDay.get(key) ?? [];
    planned += items.length;
    const isToday = key === today;
    const list = items.length ? `\n<ul>\n${items.map((i) => entry(lang, i.work, i.first)).join('\n')}\n</ul>` : '';
    const classes = [items.length ? 'busy' : '', isToday ? 'today' : ''].filter(Boolean).join(' ');
    cells.push(`<td${classes ? ` class="${classes}"` : ''}${isToday ? ' aria-current="date"' : ''}><span class="day">${d}${isToday ? ` <span class="visually-hidden">(${w.today})</span>` : ''}</span>${list}</td>`);
  }
  while (cells.length % 7) cells.push('<td class="out"></td>');
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(`<tr>\n${cells.slice(i, i + 7).join('\n')}\n</tr>`);
  const head = w.days.map(([short, full]) => `<th scope="col" aria-label="${full}"><abbr title="${full}">${short}</abbr></th>`).join('');
  return `<section aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
${planned ? '' : `<p>${w.none}</p>\n`}<table class="calendar" aria-labelledby="${id}">
<thead><tr>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

/** The calendar of a language (the body of <lang>/calendar.html). */
export function calendarBody(lang: Lang, site: WorksSiteInput): string {
  const byDay = worksByDay(site.works);
  const today = dayKey(new Date(site.now));
  const months = monthsShown(site).map((m) => monthTable(lang, m, byDay, today));
  return [`<h1>${esc(site.title)} — ${calendarWords[lang].calendar}</h1>`, `<p>${calendarWords[lang].intro}</p>`, ...months].join('\n');
}
