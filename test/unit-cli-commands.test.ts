// `abri X` loads the module of X's group only (src/cli/command-groups.ts), and `abri --help` lists
// every command from src/cli/command-list.ts without loading any: the list and the modules must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { about, commandList, groupToRun, type CommandGroup } from '../src/cli/command-list.js';
import { groups } from '../src/cli/command-groups.js';

test('each group defines exactly the commands the list gives it, in its order, with the listed description', async () => {
  for (const group of Object.keys(groups) as CommandGroup[]) {
    const program = new Command('abri');
    (await groups[group]())(program);
    const listed = commandList.filter((c) => c.group === group);
    assert.deepEqual(
      program.commands.map((c) => c.name()),
      listed.map((c) => c.name),
      `group ${group}`,
    );
    for (const [i, c] of program.commands.entries()) {
      const entry = listed[i]!;
      assert.equal(c.description(), entry.about, `abri ${entry.name}: its description is the list's`);
      // the help of a command not loaded says "[options]" where the loaded one has options
      assert.equal(c.options.length > 0, 'options' in entry, `abri ${entry.name}: options in the list`);
    }
  }
  // every listed group is loadable, and a group's commands follow each other (main.ts registers a group once)
  const order = commandList.map((c) => c.group).filter((g, i, all) => g !== all[i - 1]);
  assert.deepEqual([...new Set(order)], order);
  assert.deepEqual(new Set(order), new Set(Object.keys(groups)));
  assert.equal(about['db-user'], commandList.find((c) => c.name === 'db-user')!.about);
});

test('the group to load is that of the command the arguments run', () => {
  assert.equal(groupToRun(['customer', 'list']), 'customers');
  assert.equal(groupToRun(['--json', '--api', 'http://127.0.0.1:1', '--token', 't', 'site', 'add', 'x']), 'sites');
  assert.equal(groupToRun(['--api=http://127.0.0.1:1', 'db-user', '--help']), 'databases');
  assert.equal(groupToRun(['help', 'invoice']), 'billing');
  assert.equal(groupToRun(['serve', '--listen', '127.0.0.1:0']), 'local');
  // the word after an option that takes a value is that value, not a command
  assert.equal(groupToRun(['--token', 'customer', 'list']), null);
  // nothing to load: the program's own help, its version, an unknown command (commander answers)
  for (const args of [[], ['--help'], ['help'], ['-V'], ['custmer', 'list'], ['--', 'customer']]) assert.equal(groupToRun(args), null, args.join(' '));
});
