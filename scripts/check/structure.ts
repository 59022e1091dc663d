// The house rules a linter does not see, checked on the source tree (run by scripts/check.sh):
//
//   capability-cycle      capabilities (src/<capability>/) must not import each other in a cycle
//   platform-imports      src/platform/ imports no capability
//   layering              a capability imports only lower ones (see `layers` below)
//   route-transaction     route files (routes*.ts) open no transaction: change() does
//   transaction-outside   only platform/change.ts, platform/db and stores open transactions
//   sql-outside-store     Kysely queries and sql`` only in store files (store.ts, store-*.ts) and platform/db
//   file-size             files stay under 300 lines
//
// Violations listed in scripts/check/allowlist.txt are reported as known and do not fail; the list
// only shrinks (--prune removes the entries that no longer occur). --strict ignores it.
//
//   node --import tsx scripts/check/structure.ts [--strict] [--prune] [--figures]
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const allowlistFile = path.join(root, 'scripts/check/allowlist.txt');
const args = new Set(process.argv.slice(2));
const maxLines = 300;

/** Intended layering: a capability may import its own layer's platform and any lower layer, never a higher one. */
const layers: Record<string, number> = {
  platform: 0,
  jobs: 1,
  outbox: 1, // the platform's own e-mail: queued in a change's transaction, sent by a job (accounts, billing, works use it)
  node: 1, // the node contract: protocol, driver interface, pause points, paths on a node
  accounts: 2,
  'read-only': 2, // the platform's read-only mode: switched by admins (the refusal itself is in platform/change.ts)
  offers: 2,
  servers: 2,
  audit: 2,
  dns: 3,
  certs: 4,
  hosting: 5,
  edge: 6,
  databases: 6, // MariaDB databases and users of hostings: reads the hosting row, gives the agent its driver
  mail: 6, // mail domains, mailboxes and aliases of hostings: reads the hosting row, gives the agent its driver (Postfix, Dovecot)
  billing: 6, // services, invoices and credit notes of hostings: reads the hosting row, e-mails through the outbox, renews as a job
  works: 6, // works (maintenances, incidents): read which hostings live on which servers, export the public page as a job
  backups: 6, // off-server backups of hostings (restic over SFTP): reads the hosting row, gives the agent its drivers
  agent: 7,
  app: 8, // src/*.ts: the manager's assembly
  cli: 9, // `abri serve` starts the manager
};

interface Violation {
  rule: string;
  key: string;
  detail: string;
}

function walk(dir: string, keep: (f: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    // generated code (ui/src/api/generated, from the OpenAPI document) is not written by people
    if (e.isDirectory()) return ['node_modules', 'dist', 'generated'].includes(e.name) ? [] : walk(full, keep);
    return keep(full) ? [full] : [];
  });
}

const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
const isTs = (f: string) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts');
const srcFiles = walk(path.join(root, 'src'), isTs).map(rel).sort();

/** The capability a src/ file belongs to: its first folder, or `app` for src/*.ts. */
const capabilityOf = (file: string) => {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : 'app';
};

/** Source without comments (so a comment naming selectFrom( or an import is not counted). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Relative imports of a file (static, re-exports, dynamic), resolved to repository paths. */
function importsOf(file: string, text: string): Array<{ target: string; typeOnly: boolean }> {
  const out: Array<{ target: string; typeOnly: boolean }> = [];
  const patterns = [
    /\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]/g,
    /\bimport\s*['"](\.[^'"]+)['"]/g,
    /\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  ];
  for (const [i, re] of patterns.entries()) {
    for (const m of text.matchAll(re)) {
      const spec = i === 0 ? m[3] : m[1];
      const target = rel(path.resolve(root, path.dirname(file), spec)).replace(/\.js$/, '.ts');
      out.push({ target, typeOnly: i === 0 && !!m[2] });
    }
  }
  return out;
}

const violations: Violation[] = [];
const seen = new Set<string>();
/** Records a violation once per rule and key (the first detail is kept). */
const report = (v: Violation) => {
  if (seen.has(`${v.rule} ${v.key}`)) return;
  seen.add(`${v.rule} ${v.key}`);
  violations.push(v);
};
const edges = new Map<string, Map<string, string[]>>(); // capability → capability → files

for (const file of srcFiles) {
  const text = code(readFileSync(path.join(root, file), 'utf8'));
  const from = capabilityOf(file);
  for (const { target } of importsOf(file, text)) {
    if (!target.startsWith('src/')) continue;
    const to = capabilityOf(target);
    if (to === from) continue;
    const byTarget = edges.get(from) ?? new Map<string, string[]>();
    edges.set(from, byTarget);
    byTarget.set(to, [...new Set([...(byTarget.get(to) ?? []), file])]);
    if (from === 'platform') report({ rule: 'platform-imports', key: `${file} -> ${to}`, detail: `imports ${target}` });
    else if (from in layers && to in layers && layers[to] > layers[from]) {
      report({ rule: 'layering', key: `${file} -> ${to}`, detail: `${from} (layer ${layers[from]}) imports ${target} (layer ${layers[to]})` });
    }
  }

  const base = path.basename(file);
  const isStore = /^store(-[\w-]+)?\.ts$/.test(base) || file.startsWith('src/platform/db/');
  if (/^routes(-[\w-]+)?\.ts$/.test(base) && /\.transaction\s*\(/.test(text)) {
    report({ rule: 'route-transaction', key: file, detail: `${(text.match(/\.transaction\s*\(/g) ?? []).length} transaction() call(s)` });
  } else if (!isStore && file !== 'src/platform/change.ts' && /\.transaction\s*\(/.test(text)) {
    report({ rule: 'transaction-outside', key: file, detail: `${(text.match(/\.transaction\s*\(/g) ?? []).length} transaction() call(s): use change()` });
  }
  if (!isStore) {
    const sqlUses = [
      ...text.matchAll(/\.\s*(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)\s*\(/g),
      ...text.matchAll(/\bsql\s*(<[^`;]*?>)?\s*`/g),
      ...text.matchAll(/\bsql\.(raw|ref|lit|id|join|val|table)\s*\(/g),
      ...text.matchAll(/\bimport\s+(?!type\b)[^;]*?from\s*['"]kysely['"]/g),
    ];
    if (sqlUses.length) report({ rule: 'sql-outside-store', key: file, detail: `${sqlUses.length} query/sql use(s)` });
  }
}

// cycles between capabilities: every edge inside a strongly connected component of the graph
function components(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}
const cycles = components();
for (const c of cycles) {
  for (const a of c) {
    for (const [b, files] of edges.get(a) ?? []) {
      if (c.includes(b)) report({ rule: 'capability-cycle', key: `${a} -> ${b}`, detail: `in the cycle {${c.join(', ')}}; from ${files.join(', ')}` });
    }
  }
}

// file sizes, everywhere code is written
const sized = ['src', 'ui/src', 'test', 'bench', 'scripts']
  .flatMap((d) => walk(path.join(root, d), isTs))
  .map(rel)
  .sort();
for (const file of sized) {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n').length - 1;
  if (lines > maxLines) report({ rule: 'file-size', key: file, detail: `${lines} lines` });
}

// ---- report ----
const entry = (v: { rule: string; key: string }) => `${v.rule} ${v.key}`;
const allowText = existsSync(allowlistFile) ? readFileSync(allowlistFile, 'utf8') : '';
const allowed = new Set(
  allowText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);
const found = new Set(violations.map(entry));
const strict = args.has('--strict');
const fresh = violations.filter((v) => strict || !allowed.has(entry(v)));
const known = violations.filter((v) => !strict && allowed.has(entry(v)));
const stale = [...allowed].filter((a) => !found.has(a));

if (args.has('--figures')) {
  const count = (rule: string) => violations.filter((v) => v.rule === rule).length;
  console.log(
    `files over ${maxLines} lines: ${count('file-size')} (src: ${violations.filter((v) => v.rule === 'file-size' && v.key.startsWith('src/')).length})`,
  );
  console.log(`capability cycles: ${cycles.length} (${cycles.map((c) => `{${c.join(', ')}}`).join(' ') || 'none'}), ${count('capability-cycle')} edges`);
  console.log(`platform/ importing a capability: ${count('platform-imports')}; layering violations: ${count('layering')}`);
  console.log(`route files with transaction(): ${count('route-transaction')}; other files opening transactions: ${count('transaction-outside')}`);
  console.log(
    `non-store files with SQL: ${count('sql-outside-store')} (routes: ${violations.filter((v) => v.rule === 'sql-outside-store' && /\/routes(-[\w-]+)?\.ts$/.test(v.key)).length})`,
  );
  process.exit(0);
}

const show = (vs: Violation[]) => {
  for (const rule of [...new Set(vs.map((v) => v.rule))].sort()) {
    console.log(`  ${rule}:`);
    for (const v of vs.filter((x) => x.rule === rule)) console.log(`    ${v.key}  (${v.detail})`);
  }
};
if (known.length) {
  console.log(`structure: ${known.length} known violation(s), allowlisted in scripts/check/allowlist.txt (to fix, then remove):`);
  show(known);
}
if (stale.length) {
  if (args.has('--prune')) {
    const kept = allowText.split('\n').filter((l) => !stale.includes(l.trim()));
    writeFileSync(allowlistFile, kept.join('\n'));
    console.log(`structure: removed ${stale.length} fixed entr${stale.length === 1 ? 'y' : 'ies'} from the allowlist`);
  } else {
    console.log(
      `structure: ${stale.length} allowlist entr${stale.length === 1 ? 'y is' : 'ies are'} fixed; remove ${stale.length === 1 ? 'it' : 'them'} (--prune):`,
    );
    for (const s of stale) console.log(`    ${s}`);
  }
}
if (fresh.length) {
  console.log(`structure: ${fresh.length} violation(s)${strict ? ' (--strict: the allowlist is ignored)' : ''}:`);
  show(fresh);
  process.exit(1);
}
console.log(`structure: ok (${srcFiles.length} source files${known.length ? `, ${known.length} known violation(s)` : ''})`);
