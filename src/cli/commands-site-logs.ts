// `abri site logs <site>`: the last lines of a site's access or error log, or of its hosting's PHP
// error log, read on its web server (lines on stdout, what they are on stderr).
import type { Command } from 'commander';
import { client, oneOf, seg, whole, type Item } from './command-kit.js';
import { print, wantsJson } from './output.js';

const kinds = ['access', 'error', 'php'] as const;

export function registerSiteLogsCommand(program: Command, site: Command) {
  site
    .command('logs')
    .description('the last lines of a site\'s logs: access, error (Apache) or php (its hosting\'s PHP error log)')
    .argument('<site>', 'site id or domain')
    .option('--kind <kind>', `${kinds.join(', ')} (default access)`, oneOf(kinds), 'access')
    .option('--lines <n>', 'how many of the last lines, 1 to 1000 (default 200)', whole, 200)
    .option('--grep <text>', 'only the lines that contain this text (case-insensitive)')
    .action(async (ref: string, o: { kind: string; lines: number; grep?: string }) => {
      const r = await client(program).get<Item>(`/api/v1/sites/${seg(ref)}/logs`, { kind: o.kind, lines: o.lines, q: o.grep });
      const lines = r.lines as string[];
      const note = !r.exists ? `${String(r.file)}: nothing logged yet` : `${String(r.file)}: ${lines.length} line(s)${r.complete ? '' : ' (only the end of a large file was searched)'}`;
      if (wantsJson(program)) return print(program, r);
      process.stderr.write(`${note}\n`);
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    });
}
