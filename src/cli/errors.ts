// Error codes of the CLI's local commands.
import { defineErrors } from '../platform/errors.js';

export const cliErrors = defineErrors({
  'validation.invalid': 'invalid',
});
