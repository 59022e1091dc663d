// `abri work notices|channel|deliveries|redeliver`: what I receive by e-mail about works, and (staff)
// the webhooks and Mastodon accounts told about every work event, with their deliveries.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from './api-client.js';
import { client, listQuery, oneLine, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print } from './output.js';

const choices = ['all', 'incidents', 'none'] as const;
const statuses = ['queued', 'sent', 'failed'] as const;

const channels: Resource = {
  noun: 'channel',
  path: '/api/v1/work-channels',
  ref: 'name or id',
  columns: ['name', 'kind', 'url', 'locale', 'enabled', 'last'],
  sorts: 'name',
  row: (c) => {
    const last = c.lastDelivery as Item | null;
    return { ...c, last: last ? `${String(last.status)} ${String(last.at)}${last.lastError ? `: ${oneLine(last.lastError, 60)}` : ''}` : '' };
  },
  label: (c) => String(c.name),
};

const deliveries: Resource = {
  noun: 'delivery',
  path: '/api/v1/work-deliveries',
  ref: 'id',
  columns: ['id', 'createdAt', 'channel', 'work', 'event', 'status', 'attempts', 'lastError'],
  sorts: 'createdAt, status, attempts',
  row: (d) => ({ ...d, channel: (d.channel as Item).name, work: `#${String(d.workNumber)}`, lastError: oneLine(d.lastError) }),
  label: (d) => `#${String(d.workNumber)} ${String(d.event)} → ${String((d.channel as Item).name)}`,
};

/** The secret from --secret, or the first line of --secret-file (kept out of the process list). */
function secretOf(o: { secret?: string; secretFile?: string }): string | undefined {
  if (o.secret && o.secretFile) throw new CliError('give --secret or --secret-file, not both', 'cli.usage');
  if (!o.secretFile) return o.secret;
  try {
    return readFileSync(o.secretFile, 'utf8').split('\n')[0]!.trim();
  } catch (e) {
    throw new CliError(`cannot read the secret file ${o.secretFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

interface ChannelOptions { name?: string; url?: string; secret?: string; secretFile?: string; locale?: string; enable?: boolean; disable?: boolean }
const withChannelOptions = (cmd: Command) => cmd
  .option('--url <url>', 'webhook: the address it posts to; mastodon: the instance (https://mastodon.example)')
  .option('--secret <secret>', 'webhook: the shared secret of its signature (16+ characters); mastodon: the access token (write:statuses)')
  .option('--secret-file <path>', 'read the secret or token from the first line of this file')
  .option('--locale <locale>', 'mastodon: the language of its statuses (fr or en)', oneOf(['fr', 'en'] as const));

const showChannel = (program: Command, c: Item, verb: string) => show(program, c, `channel ${String(c.name)} ${verb} (its secret is never shown)`);

export function registerWorkNoticeCommands(program: Command, work: Command) {
  work.command('notices').description('what I receive by e-mail about the works affecting my hostings (show, or choose with --receive)')
    .option('--receive <choice>', 'all, incidents (only incidents) or none', oneOf(choices))
    .action(async (o: { receive?: string }) => {
      const api = client(program);
      const r = o.receive ? await api.put<Item>('/api/v1/me/work-notices', { receive: o.receive }) : await api.get<Item>('/api/v1/me/work-notices');
      print(program, r, `you receive: ${String(r.receive)} (e-mail when a work is ${(r.events as string[]).join(', ')})`);
    });

  const channel = work.command('channel').description('webhooks and Mastodon accounts told about every work event (staff)');
  channel.command('list').description('list the channels and their last delivery').action(async () => {
    const r = await client(program).get<{ items: Item[] }>(channels.path);
    printList(program, channels, { items: r.items, total: r.items.length, nextCursor: null });
  });
  withChannelOptions(channel.command('add').description('add a signed webhook or a Mastodon account'))
    .requiredOption('--kind <kind>', 'webhook or mastodon', oneOf(['webhook', 'mastodon'] as const))
    .requiredOption('--name <name>', 'its name')
    .option('--disable', 'add it disabled')
    .action(async (o: ChannelOptions & { kind: string; name: string }) => {
      const secret = secretOf(o);
      if (!o.url || !secret) throw new CliError('a channel needs --url and --secret (or --secret-file)', 'cli.usage');
      const c = await client(program).post<Item>(channels.path, { kind: o.kind, name: o.name, url: o.url, secret, ...(o.locale ? { locale: o.locale } : {}), enabled: !o.disable });
      showChannel(program, c, 'added');
    });
  withChannelOptions(channel.command('set').description('change a channel').argument('<ref>', `channel ${channels.ref}`))
    .option('--name <name>', 'a new name').option('--enable', 'tell it again').option('--disable', 'stop telling it')
    .action(async (ref: string, o: ChannelOptions) => {
      if (o.enable && o.disable) throw new CliError('give --enable or --disable, not both', 'cli.usage');
      const secret = secretOf(o);
      const body = { ...(o.name ? { name: o.name } : {}), ...(o.url ? { url: o.url } : {}), ...(secret ? { secret } : {}), ...(o.locale ? { locale: o.locale } : {}),
        ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}) };
      if (!Object.keys(body).length) throw new CliError('nothing to change: give at least one option (abri work channel set --help)', 'cli.usage');
      showChannel(program, await client(program).patch<Item>(`${channels.path}/${seg(ref)}`, body), 'changed');
    });
  channel.command('remove').description('remove a channel and its deliveries').argument('<ref>', `channel ${channels.ref}`)
    .action(async (ref: string) => {
      await client(program).delete(`${channels.path}/${seg(ref)}`);
      print(program, { removed: true, ref }, `channel ${ref} removed`);
    });

  withListOptions(work.command('deliveries').description('what was delivered to each channel, its state and last error (staff)'), deliveries.sorts)
    .option('--channel <ref>', 'only this channel (name or id)')
    .option('--status <status>', statuses.join(', '), oneOf(statuses))
    .action(async (o: ListOptions & { channel?: string; status?: string }) => {
      printList(program, deliveries, await client(program).get<Page>(deliveries.path, { ...listQuery(o), channel: o.channel, status: o.status }));
    });
  work.command('redeliver').description('try a waiting or failed delivery again now (staff)').argument('<id>', 'delivery id')
    .action(async (id: string) => {
      const d = await client(program).post<Item>(`${deliveries.path}/${seg(id)}/retry`);
      show(program, d, `${deliveries.label(d)}: queued again`);
    });
}
