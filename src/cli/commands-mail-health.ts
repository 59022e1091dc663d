// `abri server mail-health NAME [--check]`: the health of a mail server's sending addresses (reverse
// DNS matching its HELO name, forward-confirmed; the DNS blocklists) with what to fix. Exits 1 while
// there are problems, so a monitoring script can call it.
import type { Command } from 'commander';
import { client, seg, type Item } from './command-kit.js';
import { print, printTable } from './output.js';

interface Health extends Item {
  server: string; helo: string | null; status: string; checkedAt: string | null; blocklists: string[];
  addresses: Array<{ address: string; ptr: string[]; forwardConfirmed: boolean; listings: Array<{ zone: string; status: string }> }>;
  problems: Array<{ code: string; message: string }>;
}

export function registerMailHealthCommand(program: Command, cmd: Command, path: string) {
  cmd.command('mail-health').description('a mail server\'s sending addresses: reverse DNS (PTR) naming its HELO name and confirmed forward, DNS blocklists; what to fix (exit 1 while there are problems)')
    .argument('<ref>', 'server id or name')
    .option('--check', 'check through the DNS now (else: the last check, made every 6 hours)')
    .action(async (ref: string, o: { check?: boolean }) => {
      const url = `${path}/${seg(ref)}/mail-health`;
      const h = o.check ? await client(program).post<Health>(url, {}) : await client(program).get<Health>(url);
      if (h.status === 'problems') process.exitCode = 1;
      if (program.opts().json) return print(program, h, '');
      if (h.status === 'unchecked') return void process.stdout.write(`${h.server}: not checked yet (abri server mail-health ${h.server} --check)\n`);
      const items = h.addresses.map((a) => ({
        address: a.address, ptr: a.ptr.join(' ') || '-', forwardConfirmed: a.forwardConfirmed,
        blocklists: a.listings.map((l) => `${l.zone}: ${l.status}`).join(', ') || '-',
      }));
      process.stdout.write(`${h.server} greets as ${h.helo ?? '(no host name)'}; checked ${h.checkedAt}\n`);
      if (items.length) printTable(program, { items, total: items.length, nextCursor: null }, ['address', 'ptr', 'forwardConfirmed', 'blocklists']);
      process.stdout.write(h.problems.length ? `to fix:\n${h.problems.map((p) => `  - ${p.message}\n`).join('')}` : 'all good\n');
    });
}
