// What a web server's scheduler must run: the scheduled tasks of its active hostings, in one query.
import type { Db } from '../platform/db/database.js';
import type { DesiredCronTask } from '../node/protocol.js';

/** Tasks of suspended, terminated or purged hostings are not sent: the server stops running them. */
export async function cronServerState(db: Db, serverId: string): Promise<{ tasks: DesiredCronTask[] }> {
  const tasks = await db
    .selectFrom('cronTasks')
    .innerJoin('hostings', 'hostings.id', 'cronTasks.hostingId')
    .select(['cronTasks.id', 'hostings.name as hosting', 'hostings.uid', 'hostings.home', 'cronTasks.command', 'cronTasks.schedule', 'cronTasks.timeLimit', 'cronTasks.enabled', 'cronTasks.runRequests'])
    .where('hostings.serverId', '=', serverId)
    .where('hostings.status', '=', 'active')
    .where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('cronTasks.id')
    .execute();
  return { tasks };
}
