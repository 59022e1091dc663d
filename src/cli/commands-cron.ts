// `abri cron …`: the scheduled tasks of a hosting — a command run in the hosting's jail on a crontab
// schedule (UTC), "run now", and the last runs of a task with their output.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addRemove, addShow, client, listQuery, printList, seg, show, whole, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const tasks: Resource = {
  noun: 'scheduled task',
  path: '/api/v1/cron-tasks',
  ref: 'id',
  columns: ['id', 'schedule', 'command', 'timeLimit', 'state', 'next', 'last'],
  sorts: 'createdAt, command',
  row: (t) => ({
    ...t,
    state: t.enabled ? 'enabled' : 'disabled',
    next: t.nextRunAt ?? '',
    last: t.lastRun ? runResult(t.lastRun as Item) : '',
  }),
  label: (t) => String(t.id),
};

const runs: Resource = {
  noun: 'run',
  path: '/api/v1/cron-tasks',
  ref: 'id',
  columns: ['startedAt', 'endedAt', 'result', 'output'],
  sorts: '',
  row: (r) => ({ ...r, result: runResult(r).split(' ').slice(1).join(' ') + (r.requested ? ' (run now)' : ''), output: `${String(r.output).replace(/\n/g, ' ⏎ ').slice(0, 60)}${r.truncated ? ' …' : ''}` }),
  label: (r) => String(r.id),
};

const stops: Record<string, string> = { memory: 'out of memory', processes: 'at its process limit', cpu_time: 'CPU time limit', file_size: 'file size limit' };
const runResult = (r: Item) =>
  `${r.startedAt} ${r.timedOut ? 'timed out' : r.exitCode === null ? 'killed' : `exit ${r.exitCode}`}${typeof r.stoppedBy === 'string' && stops[r.stoppedBy] ? ` (${stops[r.stoppedBy]})` : ''}`;

export function registerCronCommands(program: Command) {
  const cron = program.command('cron').description(about.cron);

  withListOptions(cron.command('list').description('list the scheduled tasks of a hosting'), tasks.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => {
      printList(program, tasks, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/cron-tasks`, listQuery(o)));
    });

  cron.command('add').description('create a scheduled task')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .requiredOption('--schedule <cron>', 'five fields "minute hour day month weekday" (UTC), or @hourly, @daily, @weekly, @monthly, @yearly')
    .requiredOption('--command <line>', 'one bash command line, run as the hosting\'s user in its jail, from var/www')
    .option('--time-limit <seconds>', 'killed after that many seconds (1 to 3600; default 300)', whole)
    .option('--disabled', 'create it disabled (it runs only with abri cron run)')
    .action(async (o: { hosting: string; schedule: string; command: string; timeLimit?: number; disabled?: boolean }) => {
      const body = { schedule: o.schedule, command: o.command, enabled: !o.disabled, ...(o.timeLimit !== undefined ? { timeLimit: o.timeLimit } : {}) };
      const t = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/cron-tasks`, body);
      show(program, t, `scheduled task ${t.id} created${t.nextRunAt ? `: next run ${t.nextRunAt}` : ''}`);
    });

  addShow(program, cron, tasks);

  cron.command('set').description('change a task\'s schedule, command or time limit, or disable/enable it')
    .argument('<ref>', `scheduled task ${tasks.ref}`)
    .option('--schedule <cron>', 'the new schedule')
    .option('--command <line>', 'the new command')
    .option('--time-limit <seconds>', 'the new time limit (1 to 3600 seconds)', whole)
    .option('--enable', 'it runs on its schedule')
    .option('--disable', 'it no longer runs on its schedule')
    .action(async (ref: string, o: { schedule?: string; command?: string; timeLimit?: number; enable?: boolean; disable?: boolean }) => {
      const body = {
        ...(o.schedule !== undefined ? { schedule: o.schedule } : {}),
        ...(o.command !== undefined ? { command: o.command } : {}),
        ...(o.timeLimit !== undefined ? { timeLimit: o.timeLimit } : {}),
        ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
      };
      const t = await client(program).patch<Item>(`${tasks.path}/${seg(ref)}`, body);
      show(program, t, `scheduled task ${t.id} changed`);
    });

  cron.command('run').description('run a task once, now (its web server runs it when it gets the change; see abri cron runs)')
    .argument('<ref>', `scheduled task ${tasks.ref}`)
    .action(async (ref: string) => {
      const t = await client(program).post<Item>(`${tasks.path}/${seg(ref)}/run`);
      show(program, t, `scheduled task ${t.id}: run asked`);
    });

  cron.command('runs').description('the last runs of a task (newest first), with their output')
    .argument('<ref>', `scheduled task ${tasks.ref}`)
    .action(async (ref: string) => {
      printList(program, runs, await client(program).get<Page>(`${tasks.path}/${seg(ref)}/runs`));
    });

  addRemove(program, cron, tasks, 'remove a scheduled task (a run under way ends on its own)');
}
