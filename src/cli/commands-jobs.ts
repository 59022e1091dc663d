// `abri job …` (staff): the background jobs of the platform (certificates, renewals…), their last
// error, and running one again now.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addShow, client, oneLine, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';


const jobs: Resource = {
  noun: 'job',
  path: '/api/v1/jobs',
  ref: 'id',
  columns: ['id', 'kind', 'key', 'status', 'runAt', 'attempts', 'lastError'],
  sorts: 'runAt, updatedAt, createdAt, kind, status, attempts',
  row: (j) => ({ ...j, lastError: oneLine(j.lastError) }),
  label: (j) => `${String(j.kind)} ${String(j.key)}`,
};

export function registerJobCommands(program: Command) {
  const cmd = program.command('job').description(about.job);

  withListOptions(cmd.command('list').description('list jobs, next to run first'), jobs.sorts)
    .option('--kind <kind>', 'only jobs of this kind (certificate, acme.challenges.expire…)')
    .option('--status <status>', 'scheduled, running, done or failed', oneOf(['scheduled', 'running', 'done', 'failed'] as const))
    .action(async (o: ListOptions & { kind?: string; status?: string }) => {
      const { q, sort, limit, cursor, kind, status } = o;
      printList(program, jobs, await client(program).get<Page>(jobs.path, { q, sort, limit, cursor, kind, status }));
    });

  addShow(program, cmd, jobs);

  cmd.command('retry').description('run a job again now (a failed one gets one more attempt)')
    .argument('<id>', 'job id')
    .action(async (id: string) => {
      const job = await client(program).post<Item>(`${jobs.path}/${seg(id)}/retry`);
      show(program, job, `job ${jobs.label(job)} runs again now`);
    });
}
