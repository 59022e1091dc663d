// Output of CLI commands: for people, a record (nested objects indented under their key) or an
// aligned table whose cells are one line each; for programs, JSON with --json.
import type { Command } from 'commander';

export const wantsJson = (program: Command) => !!program.opts<{ json?: boolean }>().json;

export function print(program: Command, data: unknown, human?: string) {
  if (wantsJson(program)) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
  else if (human !== undefined) process.stdout.write(human + '\n');
  else process.stdout.write(formatRecord(data) + '\n');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || v === undefined || (typeof v !== 'object' && typeof v !== 'function');

/** A scalar as text ('' for null and undefined). */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
}

/** The widest a table cell gets; the whole value is in --json. */
const maxCell = 100;

/** One table cell: one line (a multi-line text shows its first line and …), bounded. */
export function cell(v: unknown): string {
  let s: string;
  if (Array.isArray(v)) s = v.map((x) => cell(x)).join(',');
  else if (isRecord(v))
    s = Object.entries(v)
      .map(([k, x]) => `${k}=${cell(x)}`)
      .join(' ');
  else {
    const lines = text(v)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    s = lines.length > 1 ? `${lines[0]} …` : (lines[0] ?? '');
  }
  s = s.replace(/\s+/g, ' ');
  return s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s;
}

/**
 * An object as aligned `key  value` lines. Nested objects are indented under their key; lists of
 * scalars are comma-separated; lists of objects show one indented block per item; a multi-line
 * text continues under its value column.
 */
export function formatRecord(data: unknown, indent = ''): string {
  if (!isRecord(data)) return Array.isArray(data) ? formatList(data, indent) : indent + text(data);
  const entries = Object.entries(data).filter(([, v]) => v !== undefined);
  if (!entries.length) return '';
  const w = Math.max(...entries.map(([k]) => k.length));
  const out: string[] = [];
  for (const [k, v] of entries) {
    const scalarList = Array.isArray(v) && v.every(isScalar);
    if (isScalar(v) || scalarList) {
      const value = scalarList ? (v as unknown[]).map(text).join(', ') : text(v);
      const [first, ...rest] = value.split(/\r?\n/);
      out.push(`${indent}${k.padEnd(w)}  ${first}`.trimEnd());
      for (const line of rest) out.push(`${indent}${''.padEnd(w)}  ${line}`.trimEnd());
    } else if (isRecord(v) && !Object.keys(v).length) {
      out.push(`${indent}${k}`);
    } else {
      out.push(`${indent}${k}`);
      out.push(isRecord(v) ? formatRecord(v, indent + '  ') : formatList(v as unknown[], indent + '  '));
    }
  }
  return out.join('\n');
}

function formatList(items: unknown[], indent: string): string {
  return items
    .map((item) => {
      if (!isRecord(item) && !Array.isArray(item)) return `${indent}- ${text(item)}`;
      const block = formatRecord(item, indent + '  ');
      return `${indent}- ${block.slice(indent.length + 2)}`;
    })
    .join('\n');
}

/** Prints a list page as an aligned table of the given columns (or JSON with --json). */
export function printTable(program: Command, page: { items: Record<string, unknown>[]; total: number; nextCursor: string | null }, columns: string[]) {
  if (wantsJson(program)) return print(program, page);
  const rows = [columns, ...page.items.map((it) => columns.map((c) => cell(it[c])))];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  lines.push(`(${page.items.length} of ${page.total}${page.nextCursor ? `; more with --cursor ${page.nextCursor}` : ''})`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** A problem document (RFC 9457) of the API, as far as the CLI reads it. */
export interface Problem {
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; code?: string; message: string }>;
}

/**
 * The line the CLI prints for an API error, without the `abri: ` prefix: the explanation, the
 * field errors it does not already say (`field: message`, `body.` left out), then the code.
 * A validation error lists every field; another error only the issues that add to its explanation.
 */
export function describeProblem(p: Problem | undefined, status: number): string {
  const issues = p?.errors ?? [];
  const validation = p?.code === 'request.validation' && issues.length > 0;
  const detail = validation ? 'invalid input' : (p?.detail ?? `HTTP ${status}`);
  // a domain error's own field issue restates it (it says which field): said once
  const adds = (i: { code?: string; message: string }) => validation || (i.code !== p?.code && !detail.includes(i.message));
  const fields = issues.filter(adds).map((i) => `${i.path.replace(/^(body|query|path)\./, '')}: ${i.message}`);
  return `${detail}${fields.length ? `: ${fields.join('; ')}` : ''} (${p?.code ?? status})`;
}
