// English: scheduled tasks (cron) of hostings — the errors the API gives.
export const enCron = {
  'error.cron_task.not_found': 'No such scheduled task.',
  'error.cron_task.forbidden': 'You may not change the scheduled tasks of this hosting.',
  'error.cron_task.schedule_invalid': 'This schedule is not valid: five fields (minute hour day month weekday) or @hourly, @daily, @weekly, @monthly, @yearly.',
  'error.cron_task.command_invalid': 'The command must be one line, not blank.',
  'error.cron_task.no_server': 'This hosting is on no web server yet: its tasks would have nowhere to run.',
  'error.quota.cron_tasks_exceeded': 'This hosting has as many scheduled tasks as allowed.',
  'error.quota.cron_tasks_exceeded.max': { n: 'max', one: 'A hosting has at most {max} scheduled task.', other: 'A hosting has at most {max} scheduled tasks.' },
};
