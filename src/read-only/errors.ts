// Error codes of switching the read-only mode (the refusal itself, platform.read_only, is the
// platform's: src/platform/read-only.ts).
import { defineErrors } from '../platform/errors.js';

export const readOnlySwitchErrors = defineErrors({
  'read_only.message_required': 'invalid',
});
