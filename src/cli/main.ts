// The `abri` command. Errors are one line on stderr, `abri: <explanation> (<code>)`; the exit
// status is 2 for a usage error (a wrong option, a missing confirmation), 1 for any other failure.
import { Command, CommanderError, Help } from 'commander';
import { AppError } from '../platform/errors.js';
import { version } from '../platform/version.js';
import { CliError } from './api-client.js';
import { commandList, groupToRun, type CommandGroup } from './command-list.js';
import { groups } from './command-groups.js';

/** CliError codes that mean the command was not used as it must be (exit 2, like commander's own). */
const usageCodes = new Set(['cli.usage']);

/** commands listed by name and description only, whose loaded form takes options */
const listedWithOptions = new WeakSet<Command>();

const program = new Command('abri')
  .description('Abri: hosting platform for small and associative web hosts')
  .version(version)
  .option('--json', 'machine-readable output')
  .option('--api <url>', 'manager URL for API commands (ABRI_API_URL)')
  .option('--token <token>', 'API token for API commands (ABRI_TOKEN)')
  .configureHelp({
    showGlobalOptions: true,
    // a command listed but not loaded has no options of its own: its line says "[options]" as the loaded one does
    subcommandTerm(this: Help, cmd: Command) {
      return listedWithOptions.has(cmd) ? `${cmd.name()} [options]` : Help.prototype.subcommandTerm.call(this, cmd);
    },
  })
  // usage errors too are one line: "abri: error text (see --help)"; settings are inherited by every subcommand
  .configureOutput({ outputError: (text, write) => write(`abri: ${text.trim().replace(/^error: /, '')} (see --help)\n`) })
  .exitOverride();

/**
 * Every top-level command, in the list's order: those of the group of the command that runs as their
 * module defines them, the others by name and description (enough for `abri --help` and for commander
 * to refuse or suggest an unknown name).
 */
async function registerCommands(wanted: CommandGroup | null) {
  const register = wanted ? await groups[wanted]() : null;
  for (const [i, c] of commandList.entries()) {
    if (c.group === wanted) {
      if (commandList[i - 1]?.group !== wanted) register!(program); // a group's commands follow each other
      continue;
    }
    const listed = program
      .command(c.name)
      .description(c.about)
      .action(() => {
        throw new Error(`abri ${c.name} was not loaded`); // unreachable: the command that runs is always loaded
      });
    if ('options' in c) listedWithOptions.add(listed);
  }
}

/** The one line of an error of a local command (it may carry field issues, like the API's). */
function describeAppError(e: AppError): string {
  const fields = (e.issues ?? [])
    .filter((i) => i.code !== e.code && !e.message.includes(i.message))
    .map((i) => `${i.path.replace(/^(body|query|path)\./, '')}: ${i.message}`);
  return `${e.message}${fields.length ? `: ${fields.join('; ')}` : ''} (${e.code})`;
}

try {
  await registerCommands(groupToRun(process.argv.slice(2)));
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  const known = e instanceof AppError ? describeAppError(e) : e instanceof CliError ? e.message : null;
  // a known error is one line; anything else is a bug, shown with its stack
  process.stderr.write(known !== null ? `abri: ${known.replace(/\s*\n\s*/g, ' ')}\n` : `abri: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(e instanceof CliError && usageCodes.has(e.code) ? 2 : 1);
}
