// What Abri tells about an event of a work (pure): the e-mail to an affected user in their language
// (subject, text, HTML, the work's iCal event attached — the same UID as the public iCal feed, so a
// calendar that has it updates it), the status posted to Mastodon and the JSON of webhooks.
import { z } from 'zod';
import { defineTemplate } from '../outbox/templates.js';
import { icalFeed } from './render-site-feeds.js';
import { affectsText, duration, esc, textIn, when, words, workPath, type Lang, type PublicWork } from './render-site-text.js';
import { cut, MASTODON_MAX_CHARS, type NoticeKind } from './rules-notify.js';
import type { WorkHistoryView } from './model.js';

export interface NoticeInput {
  work: PublicWork;
  /** the event told (one of work.history) */
  event: WorkHistoryView;
  notice: NoticeKind;
  /** the manager's address (the customer's page of the work, the account's preferences) */
  panelUrl: string;
  /** the public works page: its address and title (the iCal event's UID is made from its host) */
  site: { title: string; publicUrl: string };
}

const text = {
  fr: {
    hello: 'Bonjour,', subject: { announced: 'annonce', plan: 'changement de plan', started: 'début', ended: 'fin', update: 'point d\'étape' } as Record<NoticeKind, string>,
    cancelledSubject: 'annulation',
    planned: (w: string, d: string) => `Ces travaux sont prévus le ${w}, pour une durée de ${d}.`,
    incident: (w: string) => `Un incident est en cours depuis le ${w}.`,
    moved: (a: string, b: string) => `Leur plan a changé : déplacés du ${a} au ${b}.`,
    started: (w: string) => `Ils ont commencé le ${w}.`,
    ended: (w: string, a: string, p: string | null) => `Ils se sont terminés le ${w}, après ${a}${p ? ` (durée annoncée : ${p})` : ''}.`,
    cancelled: 'Ils sont annulés.', resolved: (w: string) => `L'incident est résolu depuis le ${w}.`, update: 'Point d\'étape.',
    yours: 'Vos hébergements concernés', planHistory: 'Historique du plan', announcedAt: (w: string) => `annoncé le ${w}`, movedAt: (w: string) => `déplacé le ${w}`,
    follow: 'Les suivre', calendar: (f: string) => `L'événement est joint (${f}) : ajoutez-le à votre agenda, il suivra leurs changements.`,
    why: 'Vous recevez ce message pour les hébergements de votre compte. Choisissez ce que vous recevez', signature: 'Abri',
  },
  en: {
    hello: 'Hello,', subject: { announced: 'announced', plan: 'plan changed', started: 'started', ended: 'ended', update: 'update' } as Record<NoticeKind, string>,
    cancelledSubject: 'cancelled',
    planned: (w: string, d: string) => `This work is planned on ${w}, for ${d}.`,
    incident: (w: string) => `An incident is under way since ${w}.`,
    moved: (a: string, b: string) => `Its plan changed: moved from ${a} to ${b}.`,
    started: (w: string) => `It started on ${w}.`,
    ended: (w: string, a: string, p: string | null) => `It ended on ${w}, after ${a}${p ? ` (announced duration: ${p})` : ''}.`,
    cancelled: 'It is cancelled.', resolved: (w: string) => `The incident is resolved since ${w}.`, update: 'Update.',
    yours: 'Your hostings affected', planHistory: 'History of the plan', announcedAt: (w: string) => `announced on ${w}`, movedAt: (w: string) => `moved on ${w}`,
    follow: 'Follow it', calendar: (f: string) => `The event is attached (${f}): add it to your calendar and it follows the changes.`,
    why: 'You receive this message for the hostings of your account. Choose what you receive', signature: 'Abri',
  },
};

const planOf = (lang: Lang, start: string | null, minutes: number | null) => (start && minutes ? `${when(lang, start)} (${duration(lang, minutes)})` : '—');

/** The sentence that says what happened. */
function lead(lang: Lang, i: NoticeInput): string {
  const t = text[lang];
  const { work: w, event: e } = i;
  switch (i.notice) {
    case 'announced':
      return w.kind === 'incident' ? t.incident(when(lang, w.startedAt ?? e.at)) : t.planned(when(lang, e.plannedStart ?? w.plannedStart!), duration(lang, e.plannedMinutes ?? w.plannedMinutes ?? 0));
    case 'plan':
      return t.moved(planOf(lang, e.previousStart, e.previousMinutes), planOf(lang, e.plannedStart, e.plannedMinutes));
    case 'started':
      return t.started(when(lang, e.at));
    case 'ended':
      if (e.state === 'cancelled') return t.cancelled;
      if (e.state === 'resolved') return t.resolved(when(lang, e.at));
      return t.ended(when(lang, e.at), duration(lang, w.actualMinutes ?? 0), w.plannedMinutes ? duration(lang, w.plannedMinutes) : null);
    case 'update':
      return e.event === 'state' && e.state ? `${words[lang].reached(words[lang].states[e.state])}.` : t.update;
  }
}

const headline = (lang: Lang, w: PublicWork) => `${words[lang].kinds[w.kind]} #${w.number} — ${textIn(lang, w.title)}`;

export function noticeSubject(lang: Lang, i: NoticeInput): string {
  const what = i.notice === 'ended' && i.event.state === 'cancelled' ? text[lang].cancelledSubject : text[lang].subject[i.notice];
  return `[${words[lang].kinds[i.work.kind]} #${i.work.number}] ${textIn(lang, i.work.title)} — ${what}`;
}

/** The work's facts, one a line: what it affects, its plan, its actual times. */
function facts(lang: Lang, w: PublicWork): string[] {
  const t = words[lang];
  const lines = [`${t.affects}${t.colon} ${affectsText(lang, w)}`];
  if (w.plannedStart && w.plannedMinutes) lines.push(`${t.planned}${t.colon} ${when(lang, w.plannedStart)} (${t.plannedDuration} ${duration(lang, w.plannedMinutes)})`);
  if (w.startedAt) lines.push(`${t.started}${t.colon} ${when(lang, w.startedAt)}`);
  if (w.endedAt) lines.push(`${t.ended}${t.colon} ${when(lang, w.endedAt)}${w.actualMinutes !== null ? ` (${t.actualDuration} ${duration(lang, w.actualMinutes)})` : ''}`);
  return lines;
}

/** Every plan the work had, in order: "announced on …: 2 December 2026, 02:30 UTC (30 min)", "moved on …: …". */
function planHistory(lang: Lang, w: PublicWork): string[] {
  const t = text[lang];
  return w.history
    .filter((h) => (h.event === 'created' && h.plannedStart) || h.event === 'plan')
    .map((h) => `- ${h.event === 'created' ? t.announcedAt(when(lang, h.at)) : t.movedAt(when(lang, h.at))}${words[lang].colon} ${planOf(lang, h.plannedStart, h.plannedMinutes)}`);
}

const noticeMailParams = z.object({
  subject: z.string(), text: z.string(), html: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })).default([]),
});
export type NoticeMail = z.output<typeof noticeMailParams>;

declare module '../outbox/templates.js' {
  interface MessageTemplates {
    work_notice: typeof noticeMailParams;
  }
}

/** The platform's e-mail of a work notice: written whole here (noticeMail), with its attachments; it carries no secret. */
export const workNoticeMessage = defineTemplate({
  name: 'work_notice',
  params: noticeMailParams,
  about: "a work affecting the recipient's hostings",
  whole: (q) => ({ subject: q.subject, text: q.text, html: q.html }),
});

/** The e-mail to one user: in their language, with their hostings the work affects. */
export function noticeMail(lang: Lang, i: NoticeInput, hostings: string[]): NoticeMail {
  const t = text[lang];
  const w = i.work;
  const colon = words[lang].colon;
  const ics = w.plannedStart && w.plannedEnd ? `work-${w.number}.ics` : null;
  const blocks: string[][] = [
    [t.hello],
    [lead(lang, i), ...(textIn(lang, i.event.text) ? [textIn(lang, i.event.text)] : [])],
    [headline(lang, w), ...(textIn(lang, w.text) ? [textIn(lang, w.text)] : [])],
    [...facts(lang, w), ...(hostings.length ? [`${t.yours}${colon} ${hostings.join(', ')}`] : [])],
    ...(i.notice === 'plan' || planHistory(lang, w).length > 1 ? [[`${t.planHistory}${colon}`, ...planHistory(lang, w)]] : []),
    [`${t.follow}${colon} ${i.panelUrl}/works/${w.number}`, ...(ics ? [t.calendar(ics)] : [])],
    [`${t.why}${colon} ${i.panelUrl}/account`],
  ];
  const body = `${blocks.map((b) => b.join('\n')).join('\n\n')}\n\n-- \n${t.signature}\n`;
  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(noticeSubject(lang, i))}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;max-width:40em">',
    ...blocks.map((b) => `<p>${b.map(esc).join('<br>\n')}</p>`),
    `<p>-- <br>${esc(t.signature)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  const attachments = ics
    ? [{ filename: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: icalFeed(lang, { ...i.site, now: i.event.at, works: [w], record: { finished: 0, held: 0, share: null, months: [] } }) }]
    : [];
  return { subject: noticeSubject(lang, i), text: body, html, attachments };
}

/** The status posted to a Mastodon account (at most 500 characters, the link to the public page kept whole). */
export function mastodonStatus(lang: Lang, i: NoticeInput): { status: string; language: Lang } {
  const link = `${i.site.publicUrl}/${workPath(lang, i.work.number)}`;
  const said = textIn(lang, i.event.text);
  const body = [`${headline(lang, i.work)}`, lead(lang, i), ...(said ? [said] : [])].join('\n\n');
  return { status: `${cut(body, MASTODON_MAX_CHARS - link.length - 2)}\n\n${link}`, language: lang };
}

/** The JSON a webhook receives: the event, and the work as the public page shows it (both languages, no authors). */
export function webhookPayload(i: NoticeInput, historyId: string) {
  const { history: _history, ...work } = i.work;
  return { type: `work.${i.notice}`, eventId: historyId, at: i.event.at, event: i.event, work, url: `${i.site.publicUrl}/${workPath('en', i.work.number)}` };
}
