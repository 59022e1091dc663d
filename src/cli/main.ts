// The `abri` command. Errors are one line on stderr, `abri: <explanation> (<code>)`; the exit
// status is 2 for a usage error (a wrong option, a missing confirmation), 1 for any other failure.
import { Command, CommanderError } from 'commander';
import { AppError } from '../platform/errors.js';
import { version } from '../platform/version.js';
import { CliError } from './api-client.js';
import { registerLocalCommands } from './commands-local.js';
import { registerApiCommands } from './commands-api.js';
import { registerAgentCommand } from './commands-agent.js';
import { registerJobCommands } from './commands-jobs.js';
import { registerOutboxCommands } from './commands-outbox.js';
import { registerBillingCommands } from './commands-billing.js';
import { registerCardCommands } from './commands-card.js';
import { registerDunningCommands } from './commands-dunning.js';
import { registerOrderCommands } from './commands-orders.js';
import { registerPaymentCommands } from './commands-payments.js';
import { registerLoginCommand } from './commands-login.js';
import { registerPlatformCommands } from './commands-platform.js';

/** CliError codes that mean the command was not used as it must be (exit 2, like commander's own). */
const usageCodes = new Set(['cli.usage']);

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
registerOutboxCommands(program);
registerPlatformCommands(program);
registerBillingCommands(program);
registerCardCommands(program);
registerDunningCommands(program);
registerOrderCommands(program);
registerPaymentCommands(program);

/** The one line of an error of a local command (it may carry field issues, like the API's). */
function describeAppError(e: AppError): string {
  const fields = (e.issues ?? [])
    .filter((i) => i.code !== e.code && !e.message.includes(i.message))
    .map((i) => `${i.path.replace(/^(body|query|path)\./, '')}: ${i.message}`);
  return `${e.message}${fields.length ? `: ${fields.join('; ')}` : ''} (${e.code})`;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  const known = e instanceof AppError ? describeAppError(e) : e instanceof CliError ? e.message : null;
  // a known error is one line; anything else is a bug, shown with its stack
  process.stderr.write(known !== null ? `abri: ${known.replace(/\s*\n\s*/g, ' ')}\n` : `abri: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(e instanceof CliError && usageCodes.has(e.code) ? 2 : 1);
}
