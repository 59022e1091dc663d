// What every staff command over the API shares: the client, list options, option parsers,
// and the list/show/remove commands that look the same for every kind of object.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { ApiClient, CliError } from './api-client.js';
import { formatRecord, print, printTable, wantsJson } from './output.js';

export type Item = Record<string, unknown>;
export interface Page { items: Item[]; total: number; nextCursor: string | null }

/** The API client for this run (settings from the environment/config file, --api and --token). */
export const client = (program: Command) => ApiClient.from(loadConfig(), program.opts());

/** A customer's id from its reference (id or number), for list filters that take only an id. */
export const customerId = async (api: ApiClient, ref: string) => String((await api.get<Item>(`/api/v1/customers/${seg(ref)}`)).id);

/** One path segment: a reference typed by the user (id, number, name, domain…). */
export const seg = (ref: string) => encodeURIComponent(ref);

/** One line of a possibly long, multi-line error, for a table cell. */
export const oneLine = (v: unknown, max = 80) => {
  const s = typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

// ---- option parsers (commander calls them as (value, previous)) ----

export function whole(value: string): number {
  if (!/^\d{1,12}$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/** "4.99" or "4,99" euros → 499 cents. */
export function euros(value: string): number {
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('must be an amount like 4.99');
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** "a,b" → ["a","b"]; repeating the option appends (--alias a --alias b). */
export function commaList(value: string, previous?: string[]): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!values.includes(value as T)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value as T;
  };
}

export function isoTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be a date like 2026-01-31 or 2026-01-31T12:00:00Z');
  return new Date(value).toISOString();
}

// ---- request bodies ----

/** Copies the given options into a body under API names, leaving out those not given. */
export function bodyFrom(opts: Item, names: Record<string, string>): Item {
  const body: Item = {};
  for (const [opt, field] of Object.entries(names)) if (opts[opt] !== undefined) body[field] = opts[opt];
  return body;
}

/** For edit commands: refuses an empty change instead of sending a no-op. */
export function changes(body: Item, what: string): Item {
  if (!Object.keys(body).length) throw new CliError(`nothing to change: give at least one option (abri ${what} --help)`, 'cli.usage');
  return body;
}

// ---- list options ----

export interface ListOptions { q?: string; sort?: string; limit?: number; cursor?: string }

export function withListOptions(cmd: Command, sortFields: string): Command {
  return cmd
    .option('--q <text>', 'search text')
    .option('--sort <field>', `sort by ${sortFields}; prefix with - for descending`)
    .option('--limit <n>', 'page size (default 50, up to 1000)', whole)
    .option('--cursor <cursor>', 'continue after a previous page (its nextCursor)');
}

export const listQuery = (o: ListOptions) => ({ q: o.q, sort: o.sort, limit: o.limit, cursor: o.cursor });

// ---- output of a single object ----

/** Prints an object: JSON with --json, else a headline (if any) and its fields. */
export function show(program: Command, item: unknown, headline?: string) {
  print(program, item, (headline ? headline + '\n' : '') + formatRecord(item));
}

// ---- the commands every kind of object has ----

export interface Resource {
  /** command noun: customer, offer… */
  noun: string;
  /** API collection path, e.g. /api/v1/customers */
  path: string;
  /** what REF may be, for help texts: "id or number" */
  ref: string;
  /** table columns of `list` */
  columns: string[];
  /** fields `list --sort` accepts, for the help text */
  sorts: string;
  /** adds computed columns for the human table (not for --json) */
  row?: (item: Item) => Item;
  /** how to name one object in messages */
  label: (item: Item) => string;
}

export function addList(program: Command, parent: Command, r: Resource) {
  return withListOptions(parent.command('list').description(`list ${r.noun}s`), r.sorts).action(async (o: ListOptions) => {
    printList(program, r, await client(program).get<Page>(r.path, listQuery(o)));
  });
}

/** Prints a page of objects as the resource's table (or JSON with --json). */
export function printList(program: Command, r: Resource, page: Page) {
  printTable(program, r.row && !wantsJson(program) ? { ...page, items: page.items.map(r.row) } : page, r.columns);
}

export function addShow(program: Command, parent: Command, r: Resource) {
  return parent
    .command('show')
    .description(`show a ${r.noun}`)
    .argument('<ref>', `${r.noun} ${r.ref}`)
    .action(async (ref: string) => show(program, await client(program).get(`${r.path}/${seg(ref)}`)));
}

export function addRemove(program: Command, parent: Command, r: Resource, description: string) {
  return parent
    .command('remove')
    .description(description)
    .argument('<ref>', `${r.noun} ${r.ref}`)
    .action(async (ref: string) => {
      const api = client(program);
      const item = await api.get<Item>(`${r.path}/${seg(ref)}`);
      await api.delete(`${r.path}/${seg(ref)}`);
      print(program, { removed: true, id: item.id }, `${r.noun} ${r.label(item)} removed`);
    });
}
