// Every `abri` command and subcommand answers --help (exit 0, its usage line, the global options).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abri } from './helpers/cli.js';

test('every command answers --help with exit 0', async () => {
  const commandsOf = (help: string) => {
    const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
    return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((x) => x[1]).filter((c) => c !== 'help');
  };
  const top = await abri(['--help']);
  assert.equal(top.code, 0);
  const groups = commandsOf(top.stdout);
  for (const g of ['serve', 'config', 'admin', 'token', 'login', 'customer', 'offer', 'hosting', 'site', 'server', 'user', 'audit']) assert.ok(groups.includes(g), `abri ${g}`);
  const seen: string[] = [];
  await Promise.all(groups.map(async (g) => {
    const r = await abri([g, '--help']);
    assert.equal(r.code, 0, `abri ${g} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: abri ${g}`));
    for (const sub of commandsOf(r.stdout)) {
      const s = await abri([g, sub, '--help']);
      assert.equal(s.code, 0, `abri ${g} ${sub} --help: ${s.stderr}`);
      assert.match(s.stdout, new RegExp(`^Usage: abri ${g} ${sub}`));
      assert.match(s.stdout, /--json/, 'global options are listed');
      seen.push(`${g} ${sub}`);
    }
  }));
  for (const c of ['customer invite', 'customer invitations', 'customer reinvite', 'customer uninvite', 'customer revoke', 'offer edit', 'hosting terminate', 'site add', 'server add', 'user disable', 'audit list']) {
    assert.ok(seen.includes(c), `abri ${c} --help was checked`);
  }
});
