// Output of CLI commands: a table or a line for people, JSON with --json.
import type { Command } from 'commander';

export const wantsJson = (program: Command) => !!program.opts().json;

export function print(program: Command, data: unknown, human?: string) {
  if (wantsJson(program)) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
  else if (human !== undefined) process.stdout.write(human + '\n');
  else process.stdout.write(formatRecord(data) + '\n');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(cell).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/\s+/g, ' ');
}

export function formatRecord(data: unknown): string {
  if (!data || typeof data !== 'object') return cell(data);
  const entries = Object.entries(data as Record<string, unknown>);
  const w = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(w)}  ${cell(v)}`).join('\n');
}

/** Prints a list page as an aligned table of the given columns (or JSON with --json). */
export function printTable(program: Command, page: { items: Record<string, unknown>[]; total: number; nextCursor: string | null }, columns: string[]) {
  if (wantsJson(program)) return print(program, page);
  const rows = [columns, ...page.items.map((it) => columns.map((c) => cell(it[c])))];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  lines.push(`(${page.items.length} of ${page.total}${page.nextCursor ? `; more with --cursor ${page.nextCursor}` : ''})`);
  process.stdout.write(lines.join('\n') + '\n');
}
