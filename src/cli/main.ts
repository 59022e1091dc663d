// The `abri` command. Errors are one line on stderr, `abri: <explanation> (<code>)`; the exit
// status is 2 for a usage error (a wrong option, a missing confirmation), 1 for any other failure.
import { CommanderError } from 'commander';
import { AppError } from '../platform/errors.js';
import { CliError } from './api-client.js';
import { abriProgram } from './program.js';

/** CliError codes that mean the command was not used as it must be (exit 2, like commander's own). */
const usageCodes = new Set(['cli.usage']);

/** The one line of an error of a local command (it may carry field issues, like the API's). */
function describeAppError(e: AppError): string {
  const fields = (e.issues ?? [])
    .filter((i) => i.code !== e.code && !e.message.includes(i.message))
    .map((i) => `${i.path.replace(/^(body|query|path)\./, '')}: ${i.message}`);
  return `${e.message}${fields.length ? `: ${fields.join('; ')}` : ''} (${e.code})`;
}

try {
  await (await abriProgram(process.argv.slice(2))).parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  const known = e instanceof AppError ? describeAppError(e) : e instanceof CliError ? e.message : null;
  // a known error is one line; anything else is a bug, shown with its stack
  process.stderr.write(known !== null ? `abri: ${known.replace(/\s*\n\s*/g, ' ')}\n` : `abri: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(e instanceof CliError && usageCodes.has(e.code) ? 2 : 1);
}
