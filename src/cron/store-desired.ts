// What a web server's scheduler must run: the scheduled tasks of its active hostings, in one query.
// A task's time limit is bounded by its offer's cronMaxRunSeconds (lowered since the task was set).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredCronTask } from '../node/protocol.js';

/** Tasks of suspended, terminated or purged hostings are not sent: the server stops running them. */
export async function cronServerState(db: Db, serverId: string): Promise<{ tasks: DesiredCronTask[] }> {
  const tasks = await db
    .selectFrom('cronTasks')
    .innerJoin('hostings', 'hostings.id', 'cronTasks.hostingId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .select(['cronTasks.id', 'hostings.name as hosting', 'hostings.uid', 'hostings.home', 'cronTasks.command', 'cronTasks.schedule', 'cronTasks.enabled', 'cronTasks.runRequests'])
    .select(sql<number>`least(cron_tasks.time_limit, offers.cron_max_run_seconds)`.as('timeLimit'))
    .where('hostings.serverId', '=', serverId)
    .where('hostings.status', '=', 'active')
    .where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('cronTasks.id')
    .execute();
  return { tasks };
}
