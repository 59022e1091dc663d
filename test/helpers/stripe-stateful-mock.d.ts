// stripe-stateful-mock ships no types: its express app, as a Node request handler.
declare module 'stripe-stateful-mock' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export function createExpressApp(): (req: IncomingMessage, res: ServerResponse) => void;
}
