// `abri server …`: the machines agents run on, with their roles and addresses.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { serverRoles } from '../servers/rules.js';
import { addList, addRemove, addShow, bodyFrom, changes, client, commaList, seg, show, type Item, type Resource } from './command-kit.js';
import { registerMailHealthCommand } from './commands-mail-health.js';

const servers: Resource = {
  noun: 'server',
  path: '/api/v1/servers',
  ref: 'id or name',
  columns: ['name', 'roles', 'status', 'addresses', 'publicAddresses', 'lastContactAt', 'reachedRevision'],
  sorts: 'name, createdAt, reachedRevision',
  label: (s) => String(s.name),
};

const fields = { name: 'name', role: 'roles', address: 'addresses', publicAddress: 'publicAddresses' };

function serverOptions(cmd: Command, add: boolean): Command {
  const needed = add ? cmd.requiredOption.bind(cmd) : cmd.option.bind(cmd);
  needed('--name <name>', add ? 'name of the server (letters, digits, dots, hyphens)' : 'new name');
  needed('--role <roles>', `roles, comma-separated or repeated: ${serverRoles.join(', ')}${add ? '' : ' (replaces them)'}`, commaList);
  return cmd
    .option('--address <ip>', `IP address the other servers reach it at (repeatable)${add ? '' : ' (replaces them)'}`, commaList)
    .option('--public-address <ip>', `IP address the public reaches it at; an edge's are published in every zone (repeatable)${add ? '' : ' (replaces them: renumbering)'}`, commaList);
}

export function registerServerCommands(program: Command) {
  const cmd = program.command('server').description(about.server);

  addList(program, cmd, servers);

  serverOptions(cmd.command('add').description('register a server; prints its agent token once'), true).action(async (o: Item) => {
    const s = await client(program).post<Item>(servers.path, bodyFrom(o, fields));
    show(program, s, `server ${s.name} registered; give its agentToken to \`abri agent --token\` (it is shown only once)`);
  });

  addShow(program, cmd, servers);

  serverOptions(cmd.command('edit').description('change a server\'s name, roles or addresses'), false)
    .argument('<ref>', `server ${servers.ref}`)
    .action(async (ref: string, o: Item) => {
      const s = await client(program).patch<Item>(`${servers.path}/${seg(ref)}`, changes(bodyFrom(o, fields), 'server edit'));
      show(program, s, `server ${s.name} changed`);
    });

  cmd.command('token').description('replace a server\'s agent token (the old one stops working); prints the new one once')
    .argument('<ref>', `server ${servers.ref}`)
    .action(async (ref: string) => {
      const s = await client(program).post<Item>(`${servers.path}/${seg(ref)}/token`, {});
      show(program, s, `server ${s.name}: new agent token (shown only once; restart its agent with it)`);
    });

    addRemove(program, cmd, servers, 'remove a server no hosting lives on');

  registerMailHealthCommand(program, cmd, servers.path);
}
