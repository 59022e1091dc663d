// Error codes of scheduled tasks.
import { defineErrors } from '../platform/errors.js';

export const cronErrors = defineErrors({
  'cron_task.not_found': 'not_found',
  'cron_task.forbidden': 'forbidden',
  'cron_task.schedule_invalid': 'invalid',
  'cron_task.command_invalid': 'invalid',
  'cron_task.time_limit_exceeded': 'invalid',
  'cron_task.no_server': 'conflict',
  'quota.cron_tasks_exceeded': 'conflict',
});
