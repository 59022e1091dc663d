// Error codes of works (maintenances, evolutions, incidents).
import { defineErrors } from '../platform/errors.js';

export const workErrors = defineErrors({
  'work.not_found': 'not_found',
  'work.state_invalid': 'invalid',
  'work.transition_refused': 'conflict',
  'work.finished': 'conflict',
  'work.started': 'conflict',
  'work.plan_required': 'invalid',
  'work.plan_not_allowed': 'invalid',
  'work.end_before_start': 'invalid',
  'work.time_in_future': 'invalid',
  'work.affects_nothing': 'invalid',
  'work.update_empty': 'invalid',
  'work.server_not_found': 'invalid',
  'work_channel.not_found': 'not_found',
  'work_channel.name_taken': 'conflict',
  'work_delivery.not_found': 'not_found',
  'work_delivery.sent': 'conflict',
  'work_target.not_found': 'not_found',
  'work_target.invalid': 'invalid',
  'work_target.name_taken': 'conflict',
  'work_page.not_found': 'not_found',
});
