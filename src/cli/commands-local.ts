// Local commands: serve, config, and the bootstrap commands that work on the database directly.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { about } from './command-list.js';
import { loadConfig, settings } from '../platform/config.js';
// The manager and the database code load only when a command needs them, so API commands start fast.
import { CliError, tokenFile } from './api-client.js';
import { print } from './output.js';

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin reads the password from standard input: pipe it in (echo … | abri …)', 'cli.usage');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const settingsHelp = () =>
  '\nSettings (environment variables, or KEY=VALUE lines in the ABRI_CONFIG file):\n' +
  settings.map((s) => `  ${s.key.padEnd(24)} ${s.description}\n  ${''.padEnd(24)} default: ${s.default === '' ? '(unset)' : s.default}`).join('\n');

export function registerLocalCommands(program: Command) {
  program
    .command('serve')
    .description(about.serve)
    .option('--listen <host:port>', 'listen address (ABRI_LISTEN)')
    .option('--apply', 'the agent of this machine applies configs for real (ABRI_APPLY=1; root, Debian services installed)')
    .action(async (opts: { listen?: string; apply?: boolean }) => {
      const config = loadConfig(process.env, { ...(opts.listen ? { ABRI_LISTEN: opts.listen } : {}), ...(opts.apply ? { ABRI_APPLY: '1' } : {}) });
      const [{ createLogger }, { startManager }] = await Promise.all([import('../platform/logger.js'), import('../manager.js')]);
      const log = createLogger(config.logLevel);
      const manager = await startManager({ config, log });
      process.stderr.write(`Abri manager on ${config.publicUrl} (API: ${config.publicUrl}/api/v1/openapi.json) — Ctrl-C stops it\n`);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'stopping');
        await manager.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });

  program
    .command('config')
    .description(about.config)
    .addHelpText('after', settingsHelp)
    .action(() => {
      const config = loadConfig();
      print(program, { ...config, token: config.token ? '[set]' : '', databaseUrl: config.databaseUrl ? config.databaseUrl.replace(/:[^:@/]*@/, ':***@') : null });
    });

  const admin = program.command('admin').description(about.admin);
  admin
    .command('create')
    .description('create an administrator account (use before the first start, or while the manager is stopped)')
    .requiredOption('--email <email>', 'email of the administrator')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (opts: { email: string; passwordStdin?: boolean }) => {
      if (!opts.passwordStdin) throw new CliError('give the password on standard input with --password-stdin', 'cli.usage');
      const { createAdmin } = await import('./bootstrap.js');
      const user = await createAdmin(loadConfig(), opts.email, await readStdin());
      print(program, { id: user.id, email: user.email, role: user.role }, `administrator ${user.email} created`);
    });

  const token = program.command('token').description(about.token);
  token
    .command('create')
    .description('create an API token for a user (works on the database directly)')
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--name <name>', 'a name to recognise the token', 'cli')
    .option('--expires <iso-date>', 'expiry date (default: never)')
    .option('--save', `also save it for later abri commands (${tokenFile()})`)
    .action(async (opts: { email: string; name: string; expires?: string; save?: boolean }) => {
      if (opts.expires && Number.isNaN(Date.parse(opts.expires))) throw new CliError('--expires must be a date like 2027-01-31', 'cli.usage');
      const { createToken } = await import('./bootstrap.js');
      const t = await createToken(loadConfig(), opts.email, opts.name, opts.expires ? new Date(opts.expires).toISOString() : null);
      if (opts.save) {
        mkdirSync(path.dirname(tokenFile()), { recursive: true, mode: 0o700 });
        writeFileSync(tokenFile(), t.token + '\n', { mode: 0o600 });
      }
      print(program, { token: t.token }, t.token);
    });
}
