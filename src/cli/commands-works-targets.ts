// `abri work target …`: outside hosts the public works page is pushed to with rsync over SSH, and
// how their last push went.
import type { Command } from 'commander';
import { addRemove, addShow, client, printList, seg, show, whole, type Item, type Resource } from './command-kit.js';

const targets: Resource = {
  noun: 'target',
  path: '/api/v1/work-targets',
  ref: 'id or name',
  columns: ['name', 'where', 'state', 'pushedAt', 'failures', 'lastError'],
  sorts: 'name',
  row: (t) => ({ ...t, where: `${t.username}@${t.host}:${t.port}${t.path}` }),
  label: (t) => String(t.name),
};

export function registerWorkTargetCommands(work: Command, program: Command) {
  const target = work.command('target').description('outside hosts the public works page is pushed to (rsync over SSH), with their last push');
  target.command('list').description('list the targets and how their last push went').action(async () => {
    const { items } = await client(program).get<{ items: Item[] }>(targets.path);
    printList(program, targets, { items, total: items.length, nextCursor: null });
  });
  addShow(program, target, targets);
  target.command('add').description('add a target: Abri makes its key pair and prints the public key to authorize on the host')
    .argument('<name>', 'a name of yours for it (lower-case letters, digits, hyphens)')
    .requiredOption('--host <host>', 'host name or IP address')
    .option('--port <n>', 'SSH port', whole, 22)
    .requiredOption('--user <name>', 'the SSH user Abri signs in as')
    .requiredOption('--path <folder>', 'an absolute folder for Abri alone: the page goes to <folder>/current')
    .requiredOption('--host-key <key>', 'the host\'s public key, as `ssh-keyscan -p PORT HOST` prints it (Abri pushes to no other)')
    .action(async (name: string, o: { host: string; port: number; user: string; path: string; hostKey: string }) => {
      const t = await client(program).post<Item>(targets.path, { name, host: o.host, port: o.port, username: o.user, path: o.path, hostKey: o.hostKey });
      show(program, t, `target ${name} added: put this line in ~${o.user}/.ssh/authorized_keys on ${o.host}, then \`abri work target push ${name}\`:\n${t.publicKey}\n`);
    });
  target.command('push').description('push the page to a target now (after fixing it), without waiting for its next retry')
    .argument('<ref>', `target ${targets.ref}`)
    .action(async (ref: string) => show(program, await client(program).post<Item>(`${targets.path}/${seg(ref)}/push`, {}), `target ${ref}: push started`));
  addRemove(program, target, targets, 'stop pushing the page to a target (what it has stays there)');
}
