// The `abri` command.
import { Command, CommanderError } from 'commander';
import { AppError } from '../platform/errors.js';
import { version } from '../platform/version.js';
import { CliError } from './api-client.js';
import { registerLocalCommands } from './commands-local.js';
import { registerApiCommands } from './commands-api.js';
import { registerAgentCommand } from './commands-agent.js';
import { registerJobCommands } from './commands-jobs.js';
import { registerLoginCommand } from './commands-login.js';

const program = new Command('abri')
  .description('Abri: hosting platform for small and associative web hosts')
  .version(version)
  .option('--json', 'machine-readable output')
  .option('--api <url>', 'manager URL for API commands (ABRI_API_URL)')
  .option('--token <token>', 'API token for API commands (ABRI_TOKEN)')
  .configureHelp({ showGlobalOptions: true })
  // usage errors too are one line: "abri: error text (see --help)"; settings are inherited by every subcommand
  .configureOutput({ outputError: (text, write) => write(`abri: ${text.trim().replace(/^error: /, '')} (see --help)\n`) })
  .exitOverride();

registerLocalCommands(program);
registerApiCommands(program);
registerLoginCommand(program);
registerAgentCommand(program);
registerJobCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  const message = e instanceof AppError ? `${e.message} (${e.code})` : e instanceof CliError ? e.message : `unexpected error: ${(e as Error).stack ?? e}`;
  process.stderr.write(`abri: ${message}\n`);
  process.exit(1);
}
