#!/usr/bin/env node
// The `abri` command: runs the compiled CLI (npm run build produces dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('abri: not built yet; run `npm run build` (or `npm start`) in ' + fileURLToPath(new URL('..', import.meta.url)));
  process.exit(1);
}
await import(main);
