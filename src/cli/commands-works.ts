// `abri work …`: works told to customers and on the public page — maintenances and evolutions
// with their plan, incidents — their moves (kept in their history), start, end, cancel and updates.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { CliError } from './api-client.js';
import { client, commaList, isoTime, listQuery, oneOf, printList, seg, whole, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print } from './output.js';
import { registerWorkNoticeCommands } from './commands-works-notify.js';
import { registerWorkTargetCommands } from './commands-works-targets.js';

const kinds = ['maintenance', 'evolution', 'incident'] as const;
const states = ['planned', 'in_progress', 'done', 'cancelled', 'investigating', 'identified', 'monitoring', 'resolved'] as const;

const works: Resource = {
  noun: 'work',
  path: '/api/v1/works',
  ref: 'number or id',
  columns: ['number', 'kind', 'state', 'title', 'planned', 'actual'],
  sorts: 'number, createdAt, updatedAt',
  row: (w) => ({ ...w, title: (w.title as Item).en, planned: planned(w), actual: actual(w) }),
  label: (w) => `#${w.number}`,
};

const planned = (w: Item) => (w.plannedStart ? `${w.plannedStart} (${w.plannedMinutes} min)` : '');
const actual = (w: Item) =>
  w.startedAt ? `${w.startedAt}${w.endedAt ? ` → ${w.endedAt} (${w.actualMinutes} min${w.heldPlan === null ? '' : w.heldPlan ? ', held' : ', longer than planned'})` : ''}` : '';

/** A work for people: what, when, what it affects, its history. */
function describe(w: Item): string {
  const affects = w.affects as { platform: boolean; roles: string[]; servers: Array<{ id: string; name: string | null }> };
  const affected = w.affected as { hostings: number; customers: number };
  const lines = [
    `#${w.number} ${w.kind} — ${(w.title as Item).en} / ${(w.title as Item).fr}`,
    `state: ${w.state}`,
    `affects: ${affects.platform ? 'the whole platform' : [...affects.roles.map((r) => `${r} servers`), ...affects.servers.map((s) => s.name ?? s.id)].join(', ')} (${affected.hostings} hostings, ${affected.customers} customers)`,
    ...(w.plannedStart ? [`planned: ${planned(w)}`] : []),
    ...(w.startedAt ? [`actual: ${actual(w)}`] : []),
    'history:',
    ...(w.history as Item[]).map((h) => {
      const what = h.event === 'plan' ? `moved from ${h.previousStart} (${h.previousMinutes} min) to ${h.plannedStart} (${h.plannedMinutes} min)` : h.event === 'state' ? `→ ${h.state}` : h.event;
      const text = (h.text as Item).en || (h.text as Item).fr;
      return `  ${h.at} ${what}${h.author ? ` by ${h.author}` : ''}${text ? `: ${text}` : ''}`;
    }),
  ];
  return lines.join('\n');
}

const showWork = (program: Command, w: Item, headline?: string) => print(program, w, `${headline ? headline + '\n' : ''}${describe(w)}`);

interface TextOptions { titleFr?: string; titleEn?: string; textFr?: string; textEn?: string }
interface AffectOptions { platform?: boolean; role?: string[]; server?: string[] }

const affectsOf = (o: AffectOptions) => ({ platform: !!o.platform, roles: o.role ?? [], servers: o.server ?? [] });
/** French and English go together: one given alone keeps the other as it is (or the same text, for a new work). */
const pair = (fr: string | undefined, en: string | undefined, before?: Item) =>
  fr === undefined && en === undefined ? undefined : { fr: fr ?? String(before?.fr ?? en), en: en ?? String(before?.en ?? fr) };

function withTexts(cmd: Command): Command {
  return cmd.option('--title-fr <text>', 'title in French').option('--title-en <text>', 'title in English')
    .option('--text-fr <text>', 'what it is, in French').option('--text-en <text>', 'what it is, in English');
}
function withAffects(cmd: Command): Command {
  return cmd.option('--platform', 'it affects the whole platform (every hosting)')
    .option('--role <roles>', 'it affects every server with these roles (edge, web, dns, mail, database, ftp, backup, status), comma-separated', commaList)
    .option('--server <names>', 'it affects these servers (names or ids), comma-separated', commaList);
}

/** Posts a dated update (with a state, for start/end/cancel). */
async function update(program: Command, ref: string, body: Item, verb: string) {
  const w = await client(program).post<Item>(`${works.path}/${seg(ref)}/updates`, body);
  showWork(program, w, `work #${w.number} ${verb}`);
}

interface DatedOptions { at?: string; textFr?: string; textEn?: string }
const when = (o: DatedOptions) => ({ ...(o.at ? { at: o.at } : {}), ...(o.textFr || o.textEn ? { text: pair(o.textFr, o.textEn) } : {}) });

export function registerWorkCommands(program: Command) {
  const work = program.command('work').description(about.work);
  registerWorkTargetCommands(work, program);

  withListOptions(work.command('list').description('list works (a customer sees those affecting its hostings)'), works.sorts)
    .option('--kind <kind>', kinds.join(', '), oneOf(kinds))
    .option('--state <state>', states.join(', '), oneOf(states))
    .option('--open', 'only works not finished')
    .option('--hosting <ref>', 'only the works affecting this hosting')
    .action(async (o: ListOptions & { kind?: string; state?: string; open?: boolean; hosting?: string }) => {
      const path = o.hosting ? `/api/v1/hostings/${seg(o.hosting)}/works` : works.path;
      printList(program, works, await client(program).get<Page>(path, { ...listQuery(o), kind: o.kind, state: o.state, open: o.open ? 'true' : undefined }));
    });

  work.command('show').description('show a work with its history').argument('<ref>', `work ${works.ref}`)
    .action(async (ref: string) => showWork(program, await client(program).get<Item>(`${works.path}/${seg(ref)}`)));

  work.command('record').description('how often planned works held within their announced duration')
    .action(async () => {
      const r = await client(program).get<Item>(`${works.path}/record`);
      const months = (r.months as Item[]).map((m) => `  ${m.month}: ${m.held} of ${m.finished}`);
      print(program, r, [`${r.held} of ${r.finished} planned works held their announced duration${r.share === null ? '' : ` (${Math.round(Number(r.share) * 100)}%)`}`, ...months].join('\n'));
    });

  withAffects(withTexts(work.command('add').description('announce a work (a maintenance or an evolution with its plan, or an incident)')))
    .requiredOption('--kind <kind>', kinds.join(', '), oneOf(kinds))
    .option('--start <time>', 'maintenance, evolution: planned start (ISO 8601, e.g. 2026-12-02T02:30:00Z)', isoTime)
    .option('--minutes <n>', 'maintenance, evolution: planned duration in minutes', whole)
    .option('--started-at <time>', 'incident: when it began (default now)', isoTime)
    .action(async (o: TextOptions & AffectOptions & { kind: string; start?: string; minutes?: number; startedAt?: string }) => {
      const title = pair(o.titleFr, o.titleEn);
      if (!title) throw new CliError('a work needs a title: --title-fr and/or --title-en', 'cli.usage');
      const body = {
        kind: o.kind, title, ...(pair(o.textFr, o.textEn) ? { text: pair(o.textFr, o.textEn) } : {}), affects: affectsOf(o),
        ...(o.start ? { plannedStart: o.start } : {}), ...(o.minutes !== undefined ? { plannedMinutes: o.minutes } : {}), ...(o.startedAt ? { startedAt: o.startedAt } : {}),
      };
      const w = await client(program).post<Item>(works.path, body);
      showWork(program, w, `work #${w.number} announced`);
    });

  withAffects(withTexts(work.command('update').description('change a work: its texts, what it affects, its plan (each move is kept in its history)')))
    .argument('<ref>', `work ${works.ref}`)
    .option('--start <time>', 'new planned start (ISO 8601)', isoTime)
    .option('--minutes <n>', 'new planned duration in minutes', whole)
    .option('--note-fr <text>', 'why it changed, in French').option('--note-en <text>', 'why it changed, in English')
    .action(async (ref: string, o: TextOptions & AffectOptions & { start?: string; minutes?: number; noteFr?: string; noteEn?: string }) => {
      const api = client(program);
      const before = await api.get<Item>(`${works.path}/${seg(ref)}`);
      const body = {
        ...(pair(o.titleFr, o.titleEn, before.title as Item) ? { title: pair(o.titleFr, o.titleEn, before.title as Item) } : {}),
        ...(pair(o.textFr, o.textEn, before.text as Item) ? { text: pair(o.textFr, o.textEn, before.text as Item) } : {}),
        ...(o.platform || o.role || o.server ? { affects: affectsOf(o) } : {}),
        ...(o.start ? { plannedStart: o.start } : {}), ...(o.minutes !== undefined ? { plannedMinutes: o.minutes } : {}),
        ...(pair(o.noteFr, o.noteEn) ? { note: pair(o.noteFr, o.noteEn) } : {}),
      };
      if (!Object.keys(body).length) throw new CliError('nothing to change: give at least one option (abri work update --help)', 'cli.usage');
      const w = await api.patch<Item>(`${works.path}/${seg(ref)}`, body);
      showWork(program, w, `work #${w.number} changed`);
    });

  const dated = (cmd: Command) => cmd.argument('<ref>', `work ${works.ref}`).option('--at <time>', 'when (ISO 8601; default now)', isoTime)
    .option('--text-fr <text>', 'what to tell, in French').option('--text-en <text>', 'what to tell, in English');

  dated(work.command('start').description('a maintenance or an evolution starts'))
    .action((ref: string, o: DatedOptions) => update(program, ref, { state: 'in_progress', ...when(o) }, 'started'));
  dated(work.command('end').description('a work ends: done, or resolved for an incident'))
    .action(async (ref: string, o: DatedOptions) => {
      const w = await client(program).get<Item>(`${works.path}/${seg(ref)}`);
      await update(program, ref, { state: w.kind === 'incident' ? 'resolved' : 'done', ...when(o) }, 'ended');
    });
  dated(work.command('cancel').description('a maintenance or an evolution is cancelled'))
    .action((ref: string, o: DatedOptions) => update(program, ref, { state: 'cancelled', ...when(o) }, 'cancelled'));
  dated(work.command('note').description('tell a dated update; an incident may move to its next stage with --state'))
    .option('--state <state>', 'incident: investigating, identified, monitoring, resolved', oneOf(states))
    .action(async (ref: string, o: DatedOptions & { state?: string }) => {
      if (!o.state && !o.textFr && !o.textEn) throw new CliError('tell something: --text-fr and/or --text-en (or --state)', 'cli.usage');
      await update(program, ref, { ...(o.state ? { state: o.state } : {}), ...when(o) }, 'updated');
    });

  registerWorkNoticeCommands(program, work);
}
