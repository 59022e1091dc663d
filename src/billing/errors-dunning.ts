// Error codes of dunning: its settings.
import { defineErrors } from '../platform/errors.js';

export const dunningErrors = defineErrors({
  /** a field: reminders must increase and come before the suspension, the suspension before the termination (params: field) */
  'dunning.settings_invalid': 'invalid',
});
