// The `abri` program (commander): its global options, its output, and the commands of the one group
// that runs loaded (src/cli/command-groups.ts), the others listed by name. main.ts parses the process's
// arguments with it; a test can ask it for any command's help in-process.
import { Command, Help } from 'commander';
import { version } from '../platform/version.js';
import { commandList, groupToRun, type CommandGroup } from './command-list.js';
import { groups } from './command-groups.js';

/** commands listed by name and description only, whose loaded form takes options */
const listedWithOptions = new WeakSet<Command>();

/** Where the program writes its help and its errors (the process's stdout and stderr by default). */
export interface ProgramOutput {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
}

/**
 * The program for these arguments (without node and the script): every top-level command, in the
 * list's order; those of the group of the command that runs as their module defines them, the others by
 * name and description (enough for `abri --help` and for commander to refuse or suggest an unknown name).
 */
export async function abriProgram(args: readonly string[], output: ProgramOutput = {}): Promise<Command> {
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
    .configureOutput({
      ...output,
      outputError: (text, write) => write(`abri: ${text.trim().replace(/^error: /, '')} (see --help)\n`),
    })
    .exitOverride();
  const wanted: CommandGroup | null = groupToRun(args);
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
  return program;
}
