// What the API's document says about its operations, read at run time: request-body fields (defaults,
// whether a field exists yet), and the error codes each operation declares.
import { operations } from './generated/operations.js';

/** Whether an operation's body takes a field ("POST /setup", "locale"): lets the UI send a field once the API knows it. */
export const takesField = (operation: string, field: string) => !!operations[operation]?.body[field];
