// `abri mailbox vacation ADDRESS …`: a mailbox's out-of-office reply. Without options it shows the
// reply; --subject/--message set it (and switch it on), --from/--until bound it to days (UTC,
// inclusive), --off switches it off keeping its text, --remove forgets it.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { CliError } from './api-client.js';
import { client, seg, show, type Item } from './command-kit.js';

interface VacationOptions { subject?: string; message?: string; messageFile?: string; from?: string; until?: string; off?: boolean; remove?: boolean }

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const usage = (message: string) => new CliError(`${message} (abri mailbox vacation --help)`, 'cli.usage');

const summary = (v: Item) => {
  if (!v.subject) return `${v.address}: no out-of-office reply`;
  const days = [v.startsOn ? `from ${v.startsOn}` : '', v.endsOn ? `until ${v.endsOn}` : ''].filter(Boolean).join(' ');
  return `${v.address}: out-of-office reply ${v.enabled ? 'on' : 'off'}${days ? ` (${days}, UTC)` : ''}, "${v.subject}"; each sender gets it at most once every ${v.days} days`;
};

export function registerVacation(program: Command, mailbox: Command) {
  mailbox.command('vacation').description('show, set, switch off or remove a mailbox\'s out-of-office reply')
    .argument('<ref>', 'mailbox id or address (joe@example.org)')
    .option('--subject <text>', 'the subject of the reply (one line)')
    .option('--message <text>', 'the text of the reply')
    .option('--message-file <file>', 'read the text of the reply from a file')
    .option('--from <YYYY-MM-DD>', 'the first day replies are sent (UTC)')
    .option('--until <YYYY-MM-DD>', 'the last day replies are sent (UTC)')
    .option('--off', 'switch it off (its text is kept)')
    .option('--remove', 'remove it and its text')
    .action(async (ref: string, o: VacationOptions) => {
      const api = client(program);
      const url = `/api/v1/mailboxes/${seg(ref)}/vacation`;
      const setting = o.subject !== undefined || o.message !== undefined || o.messageFile !== undefined || o.from !== undefined || o.until !== undefined;
      if ([setting, !!o.off, !!o.remove].filter(Boolean).length > 1) throw usage('--off, --remove and the text options go alone');
      if (o.message !== undefined && o.messageFile !== undefined) throw usage('give --message or --message-file, not both');
      for (const d of [o.from, o.until]) if (d !== undefined && !DAY.test(d)) throw usage(`dates are YYYY-MM-DD (got "${d}")`);
      if (o.remove) {
        await api.delete(url);
        process.stdout.write(`${ref}: out-of-office reply removed\n`);
        return;
      }
      const now = await api.get<Item>(url);
      if (!setting && !o.off) return show(program, now, summary(now));
      if (o.off && !now.subject) return show(program, now, summary(now));
      const message = o.messageFile !== undefined ? await readFile(o.messageFile, 'utf8') : o.message;
      const body = {
        enabled: !o.off, subject: o.subject ?? now.subject, message: message ?? now.message,
        startsOn: o.from ?? now.startsOn ?? null, endsOn: o.until ?? now.endsOn ?? null,
      };
      if (!body.subject || !body.message) throw usage('a new out-of-office reply needs --subject and --message');
      const v = await api.put<Item>(url, body);
      show(program, v, summary(v));
    });
}
