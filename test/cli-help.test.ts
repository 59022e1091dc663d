// Every `abri` command and subcommand answers --help (its usage line, the global options). The program
// (src/cli/program.ts) answers each in-process, built as `abri G S --help` builds it: the group its
// words name loaded, the others listed by name; a process per command cost ~0.2 s of CPU, 220 times.
// A few run as real `abri` processes: the help on stdout, exit status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { abriProgram } from '../src/cli/program.js';
import { abri } from './helpers/cli.js';

/** What `abri …args` prints for --help, asked of the program in-process (it must end as help, not as an error). */
async function helpOf(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const program = await abriProgram(args, { writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed' && e.exitCode === 0) return out;
    throw new Error(`abri ${args.join(' ')}: ${(e as Error).message} ${err}`);
  }
  throw new Error(`abri ${args.join(' ')}: no help shown`);
}

const commandsOf = (help: string) => {
  const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((x) => x[1]!).filter((c) => c !== 'help');
};

test('every command answers --help', async () => {
  const groups = commandsOf(await helpOf(['--help']));
  for (const g of ['serve', 'config', 'admin', 'token', 'login', 'customer', 'offer', 'hosting', 'site', 'server', 'user', 'audit'])
    assert.ok(groups.includes(g), `abri ${g}`);
  const seen: string[] = [];
  for (const g of groups) {
    const help = await helpOf([g, '--help']);
    assert.match(help, new RegExp(`^Usage: abri ${g}`));
    for (const sub of commandsOf(help)) {
      const s = await helpOf([g, sub, '--help']);
      assert.match(s, new RegExp(`^Usage: abri ${g} ${sub}`));
      assert.match(s, /--json/, `abri ${g} ${sub} --help lists the global options`);
      seen.push(`${g} ${sub}`);
    }
  }
  for (const c of [
    'customer invite',
    'customer invitations',
    'customer reinvite',
    'customer uninvite',
    'customer revoke',
    'offer edit',
    'hosting terminate',
    'site add',
    'server add',
    'user disable',
    'audit list',
  ]) {
    assert.ok(seen.includes(c), `abri ${c} --help was checked`);
  }
  assert.ok(seen.length > 150, `${seen.length} subcommands`);
});

test('as a process, --help prints what the program says and exits 0', async () => {
  await Promise.all(
    [['--help'], ['customer', '--help'], ['customer', 'invite', '--help'], ['help', 'site']].map(async (args) => {
      const r = await abri(args);
      assert.equal(r.code, 0, `abri ${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, await helpOf(args[0] === 'help' ? [args[1]!, '--help'] : args), `abri ${args.join(' ')}`);
    }),
  );
});
