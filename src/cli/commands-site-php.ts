// `abri site php <site>`: a site's PHP settings (shown, or changed with options), within the offer's bounds.
import type { Command } from 'commander';
import { changes, client, oneOf, seg, whole, type Item } from './command-kit.js';
import { print } from './output.js';

const rows = [
  ['memoryLimit', 'memory_limit'], ['uploadMaxFilesize', 'upload_max_filesize'], ['postMaxSize', 'post_max_size'],
  ['maxExecutionTime', 'max_execution_time'], ['maxInputVars', 'max_input_vars'], ['displayErrors', 'display_errors'],
] as const;

/** The settings as a table: the value served, whether the customer chose it, the offer's maximum. */
function human(s: Item): string {
  const values = s.values as Item;
  const chosen = s.chosen as Item;
  const max = s.max as Item;
  const lowered = new Set(s.lowered as string[]);
  const line = (cols: string[]) => cols.map((c, i) => c.padEnd([22, 8, 10, 0][i]!)).join('').trimEnd();
  const out = [`PHP settings of ${String(s.domain)}`, line(['setting', 'value', 'max', 'note'])];
  for (const [key, ini] of rows) {
    const v = values[key] === true ? 'on' : values[key] === false ? 'off' : String(values[key]);
    const note = lowered.has(key) ? `chosen ${String(chosen[key])}: above the offer` : key in chosen ? 'set' : 'default';
    out.push(line([ini, v, max[key] === undefined ? '' : String(max[key]), note]));
  }
  return out.join('\n');
}

/** "default" stays a word here (commander turns a null from a parser into ""); the action sends null. */
const DEFAULT = 'default';
const size = (value: string) => value;
const count = (value: string) => (value === DEFAULT ? value : whole(value));

export function registerSitePhpCommand(program: Command, site: Command) {
  site
    .command('php')
    .description('show or change a site\'s PHP settings (each within what its offer allows; "default" puts one back)')
    .argument('<site>', 'site id or domain')
    .option('--memory-limit <size>', 'memory_limit, e.g. 256M or 1G', size)
    .option('--upload-max-filesize <size>', 'upload_max_filesize, e.g. 64M', size)
    .option('--post-max-size <size>', 'post_max_size (at least upload_max_filesize), e.g. 64M', size)
    .option('--max-execution-time <seconds>', 'max_execution_time, in seconds', count)
    .option('--max-input-vars <n>', 'max_input_vars', count)
    .option('--display-errors <on|off|default>', 'show PHP errors in pages (they are always logged)', oneOf(['on', 'off', DEFAULT] as const))
    .action(async (ref: string, o: Item) => {
      const api = client(program);
      const path = `/api/v1/sites/${seg(ref)}/php`;
      const body: Item = {};
      for (const [key] of rows) {
        const v = o[key];
        if (v !== undefined) body[key] = v === DEFAULT ? null : key === 'displayErrors' ? v === 'on' : v;
      }
      const s = Object.keys(body).length ? await api.patch<Item>(path, changes(body, 'site php')) : await api.get<Item>(path);
      print(program, s, human(s));
    });
}
