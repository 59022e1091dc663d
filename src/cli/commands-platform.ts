// `abri platform read-only on|off|status` (switching: administrators): the platform's read-only mode.
// While it is on, customers read, sign in, reset their password and download, but change nothing;
// staff keep working. The message is told in French and English on every page and every refusal.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { CliError } from './api-client.js';
import { client, isoTime, type Item } from './command-kit.js';
import { print } from './output.js';

const path = '/api/v1/platform/read-only';

/** The mode for people: on/off/scheduled, since when, by whom, the message in both languages. */
function describe(m: Item): string {
  const message = m.message as { fr: string; en: string };
  const state = m.active ? 'on: customers change nothing, staff still do' : m.enabled ? `scheduled: read-only from ${String(m.startsAt)}` : 'off: the platform is writable';
  return [
    `read-only: ${state}`,
    ...(m.active && m.startsAt ? [`since: ${String(m.startsAt)}`] : []),
    ...(m.changedAt ? [`switched: ${String(m.changedAt)}${m.changedBy ? ` by ${String(m.changedBy)}` : ''}`] : []),
    ...(message.fr || message.en ? [`message (fr): ${message.fr}`, `message (en): ${message.en}`] : []),
  ].join('\n');
}

interface OnOptions { message?: string; messageFr?: string; messageEn?: string; at?: string }

export function registerPlatformCommands(program: Command) {
  const platform = program.command('platform').description(about.platform);
  const readOnly = platform.command('read-only').description('the read-only mode: customers read, sign in and download, but change nothing (switching: administrators)');

  readOnly.command('status').description('whether the platform is read-only (or will be), and its message')
    .action(async () => {
      const m = await client(program).get<Item>(path);
      print(program, m, describe(m));
    });

  readOnly.command('on').description('switch the platform to read-only, now or --at a time')
    .option('--message <text>', 'what customers are told, in both languages (or give --message-fr and --message-en)')
    .option('--message-fr <text>', 'the message in French')
    .option('--message-en <text>', 'the message in English')
    .option('--at <time>', 'when it starts, e.g. 2026-12-31T18:00:00Z (default: now)', isoTime)
    .action(async (o: OnOptions) => {
      const api = client(program);
      const fr = o.messageFr ?? o.message;
      const en = o.messageEn ?? o.message;
      if (!fr !== !en) throw new CliError('give the message in both languages: --message, or --message-fr and --message-en', 'cli.usage');
      if (!fr) {
        const before = await api.get<Item>(path);
        if (!(before.message as { fr: string }).fr) throw new CliError('tell customers why: --message <text> (or --message-fr and --message-en)', 'cli.usage');
      }
      const m = await api.put<Item>(path, { enabled: true, ...(fr && en ? { message: { fr, en } } : {}), startsAt: o.at ?? null });
      print(program, m, describe(m));
    });

  readOnly.command('off').description('make the platform writable again')
    .action(async () => {
      const m = await client(program).put<Item>(path, { enabled: false });
      print(program, m, describe(m));
    });
}
