// The words of the public works page in French and English, and how it writes dates and durations
// (UTC, spelled out by hand so the output never depends on the machine's locale data).
import type { WorkHistoryView, WorkSummary } from './model.js';
import type { WorkKind, WorkRecord, WorkState } from './rules.js';

export type Lang = 'fr' | 'en';
export const langs: Lang[] = ['fr', 'en'];

const fr = {
  /** French puts a (no-break) space before a colon */
  colon: '\u00a0:',
  language: 'Français', works: 'Travaux', now: 'En cours', upcoming: 'À venir', past: 'Terminés', noneNow: 'Aucun travail en cours.',
  noneUpcoming: 'Aucun travail annoncé.', nonePast: 'Aucun travail terminé.', record: 'Durées annoncées tenues', recordNone: 'Aucun travail planifié terminé pour l\'instant.',
  recordShare: (held: number, all: number, pct: number) => `${held} sur ${all} travaux planifiés terminés ont tenu leur durée annoncée (${pct} %).`,
  month: 'Mois', finished: 'Terminés', held: 'Tenus', subscribe: 'S\'abonner', atom: 'Flux Atom', ical: 'Calendrier iCal des travaux planifiés', json: 'Flux JSON',
  affects: 'Concerne', platform: 'toute la plateforme', roles: 'serveurs', servers: 'serveurs', planned: 'Prévu', plannedDuration: 'durée prévue',
  actual: 'Réel', actualDuration: 'durée réelle', heldYes: 'durée tenue', heldNo: 'plus long que prévu', history: 'Historique', back: 'Tous les travaux',
  generated: 'Page produite le', started: 'Début', ended: 'Fin', from: 'du', to: 'au', kind: 'Type', state: 'État',
  created: 'Annoncé', moved: (from: string, to: string) => `Déplacé : ${from} → ${to}`, reached: (s: string) => `Nouvel état : ${s}`, note: 'Point d\'étape',
  months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  kinds: { maintenance: 'Maintenance', evolution: 'Évolution', incident: 'Incident' } as Record<WorkKind, string>,
  states: {
    planned: 'prévu', in_progress: 'en cours', done: 'terminé', cancelled: 'annulé',
    investigating: 'analyse en cours', identified: 'cause identifiée', monitoring: 'sous surveillance', resolved: 'résolu',
  } as Record<WorkState, string>,
  roleNames: { edge: 'frontaux', web: 'web', dns: 'DNS', mail: 'e-mail', database: 'bases de données', ftp: 'FTP', backup: 'sauvegardes', status: 'page d\'état' } as Record<string, string>,
};

const en: typeof fr = {
  colon: ':',
  language: 'English', works: 'Works', now: 'Under way', upcoming: 'Upcoming', past: 'Finished', noneNow: 'No work under way.',
  noneUpcoming: 'No work announced.', nonePast: 'No finished work.', record: 'Announced durations held', recordNone: 'No planned work finished yet.',
  recordShare: (held, all, pct) => `${held} of ${all} finished planned works held their announced duration (${pct}%).`,
  month: 'Month', finished: 'Finished', held: 'Held', subscribe: 'Subscribe', atom: 'Atom feed', ical: 'iCal calendar of planned works', json: 'JSON feed',
  affects: 'Affects', platform: 'the whole platform', roles: 'servers', servers: 'servers', planned: 'Planned', plannedDuration: 'planned duration',
  actual: 'Actual', actualDuration: 'actual duration', heldYes: 'held', heldNo: 'longer than planned', history: 'History', back: 'All works',
  generated: 'Page made on', started: 'Start', ended: 'End', from: 'from', to: 'to', kind: 'Kind', state: 'State',
  created: 'Announced', moved: (from, to) => `Moved: ${from} → ${to}`, reached: (s) => `New state: ${s}`, note: 'Update',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  kinds: { maintenance: 'Maintenance', evolution: 'Evolution', incident: 'Incident' },
  states: {
    planned: 'planned', in_progress: 'in progress', done: 'done', cancelled: 'cancelled',
    investigating: 'investigating', identified: 'identified', monitoring: 'monitoring', resolved: 'resolved',
  },
  roleNames: { edge: 'edge', web: 'web', dns: 'DNS', mail: 'mail', database: 'database', ftp: 'FTP', backup: 'backup', status: 'status page' },
};

export const words: Record<Lang, typeof fr> = { fr, en };

const two = (n: number) => String(n).padStart(2, '0');

/** "2 December 2026, 02:30 UTC" / "2 décembre 2026, 02:30 UTC". */
export function when(lang: Lang, iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${words[lang].months[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** "1 h 30 min", "10 min", "2 d 3 h" (j in French). */
export function duration(lang: Lang, minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} ${lang === 'fr' ? 'j' : 'd'}` : '', h ? `${h} h` : '', m || (!d && !h) ? `${m} min` : ''];
  return parts.filter(Boolean).join(' ');
}

/** "2026-11" → "novembre 2026". */
export const monthName = (lang: Lang, month: string) => `${words[lang].months[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/** What the public page is made from: the works as the API shows them (no authors), the record, the time of the export. */
export interface WorksSiteInput {
  title: string;
  /** absolute URL of the published page, without trailing slash */
  publicUrl: string;
  now: string;
  works: Array<WorkSummary & { history: WorkHistoryView[] }>;
  record: WorkRecord;
}
export type PublicWork = WorksSiteInput['works'][number];

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for HTML and XML (content and attribute values). */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

/** The work's text in a language, falling back on the other when it was left empty. */
export const textIn = (lang: Lang, t: { fr: string; en: string }) => t[lang] || t[lang === 'fr' ? 'en' : 'fr'];

/** What a work affects, in words. */
export function affectsText(lang: Lang, w: PublicWork): string {
  const t = words[lang];
  if (w.affects.platform) return t.platform;
  const roles = w.affects.roles.map((r) => (lang === 'fr' ? `${t.roles} ${t.roleNames[r] ?? r}` : `${t.roleNames[r] ?? r} ${t.roles}`));
  const servers = w.affects.servers.map((s) => s.name).filter((n): n is string => !!n);
  return [...roles, ...(servers.length ? [`${t.servers} ${servers.join(', ')}`] : [])].join(lang === 'fr' ? ' ; ' : '; ');
}

export const workPath = (lang: Lang, n: number) => `${lang}/works/${n}.html`;
