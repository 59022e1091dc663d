// Certificates on the edge: one PEM file per certificate (certificate, chain, key; 0600) under
// certs/, fetched from the manager only when its fingerprint changed, listed in certs/certs.list
// with the names each may be presented for, and a self-signed default certificate for names that
// have none (HAProxy needs one to open its HTTPS port). A certificate HAProxy refuses (a weak key,
// a broken chain) is left out and reported on its own: the others deploy.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import type { RenderedFile } from '../platform/render.js';
import { readIfExists } from '../platform/if-exists.js';
import { inParallel } from '../platform/parallel.js';
import type { CertificateBundle } from '../node/protocol.js';
import { findCulprits, refusedBy } from '../platform/culprits.js';
import { CERTS_DIR, certPath, crtListLine, crtListPath, renderHaproxy } from './render-haproxy.js';
import { runtimeApi, runtimePayload, expectSuccess } from './runtime-api.js';
import type { EdgeSpec } from './spec.js';

export interface CertificateFiles {
  files: RenderedFile[];
  /** certificates that could not be fetched: id → reason */
  failed: Map<string, string>;
  /** certificates whose file is new or changed (fetched now): the ones to check before serving */
  fresh: Set<string>;
}

/** SHA-256 of the first certificate of a PEM text (hex), or null when it holds no parsable certificate. */
export function pemFingerprint(pem: string): string | null {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!block) return null;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block);
  } catch (e) {
    // not a certificate (OpenSSL cannot decode it): the answer asked for, not an error to report
    if (!String((e as { code?: unknown }).code ?? '').startsWith('ERR_OSSL')) throw e;
    return null;
  }
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

const rel = (id: string) => `${CERTS_DIR}/${id}.pem`;
const DEFAULT_PEM = `${CERTS_DIR}/default.pem`;
const isCertificateFile = (p: string) => p.startsWith(`${CERTS_DIR}/`) && p.endsWith('.pem') && p !== DEFAULT_PEM;

/** The PEM file of each wanted certificate: what is on disk when current, else fetched from the manager. */
export async function certificateFiles(spec: EdgeSpec, wanted: Array<{ id: string; fingerprint: string }>, fetch: (id: string) => Promise<CertificateBundle>, log: Logger): Promise<CertificateFiles> {
  const failed = new Map<string, string>();
  const fresh = new Set<string>();
  // fetched a few at a time (a renewal wave brings many), listed in the order wanted
  const found = new Map<string, RenderedFile>();
  await inParallel(wanted, 8, async (c) => {
    const current = await readIfExists(certPath(spec, c.id));
    if (current && pemFingerprint(current) === c.fingerprint) {
      found.set(c.id, { path: rel(c.id), content: current, mode: 0o600 });
      return;
    }
    try {
      const bundle = await fetch(c.id);
      if (!pemFingerprint(bundle.pem)) throw new Error('the manager sent no certificate');
      found.set(c.id, { path: rel(c.id), content: bundle.pem, mode: 0o600 });
      fresh.add(c.id);
    } catch (e) {
      failed.set(c.id, (e as Error).message);
      log.warn({ certificate: c.id, err: e }, 'certificate not fetched; the edge serves the others');
    }
  });
  return { files: wanted.filter((c) => found.has(c.id)).map((c) => found.get(c.id)!), failed, fresh };
}

/** certs/default.pem: kept once made; made with openssl (self-signed, EC P-256) on first use. */
export async function defaultCertificate(exec: Executor, spec: EdgeSpec): Promise<RenderedFile> {
  const current = await readIfExists(path.join(spec.configDir, DEFAULT_PEM));
  if (current && pemFingerprint(current)) return { path: DEFAULT_PEM, content: current, mode: 0o600 };
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await exec.run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=abri-default',
      '-days', '3650', '-keyout', key, '-out', cert]);
    return { path: DEFAULT_PEM, content: `${(await readFile(cert, 'utf8')).trim()}\n${(await readFile(key, 'utf8')).trim()}\n`, mode: 0o600 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The new certificates HAProxy refuses (id → its answer), found with `haproxy -c` on the edge's
 * configuration rendered aside with only the default certificate and those being tried.
 */
export async function refusedCertificates(exec: Executor, spec: EdgeSpec, files: RenderedFile[], fresh: string[]): Promise<Map<string, string>> {
  if (!fresh.length) return new Map();
  const pems = new Map(files.map((f) => [f.path, f]));
  const culprits = await findCulprits(fresh, [], spec.configDir, (dir, ids) => {
    const trial: EdgeSpec = { ...spec, configDir: dir, runtimeSocket: path.join(dir, 'admin.sock'), certificates: (spec.certificates ?? []).filter((c) => ids.includes(c.id)) };
    return [...renderHaproxy(trial), pems.get(DEFAULT_PEM)!, ...ids.map((id) => pems.get(rel(id))!)];
  }, (dir) => refusedBy('HAProxy', () => haproxyCheck(exec, path.join(dir, 'haproxy.cfg'))));
  return culprits ?? new Map();
}

/** `haproxy -c`: throws with HAProxy's alerts (its notices left out) when it refuses the configuration. */
export async function haproxyCheck(exec: Executor, cfg: string): Promise<void> {
  const r = await exec.run('haproxy', ['-c', '-f', cfg], { allowFailure: true });
  if (r.code === 0) return;
  const alerts = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /\[ALERT\]/.test(l)).map((l) => l.replace(/^\[ALERT\]\s*(\(\d+\))?\s*:\s*/, '').trim());
  throw new Error(`haproxy -c refused ${cfg}: ${(alerts.join(' ') || r.stderr.trim() || `exit ${r.code}`).slice(0, 2000)}`);
}

/** crt-list lines by certificate file (the first word of each line). */
function parseCrtList(text: string): Map<string, string> {
  return new Map(text.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, l]));
}

export interface RuntimeCertificates {
  changed: number;
  /** certificates HAProxy refused (id → its answer): left out of the crt-list */
  refused: Map<string, string>;
}

/**
 * Makes the running HAProxy serve the certificates of `spec` with the files in `files`: swaps changed
 * ones in place, adds new ones to the crt-list (with their SNI names), rebinds those whose names
 * changed, drops the ones no longer wanted. Files are written by the caller.
 */
export async function swapCertificatesAtRuntime(spec: EdgeSpec, files: RenderedFile[], socket: string, log: Logger): Promise<RuntimeCertificates> {
  const list = crtListPath(spec);
  const listed = parseCrtList((await readIfExists(list)) ?? '');
  const pems = new Map(files.filter((f) => isCertificateFile(f.path)).map((f) => [path.join(spec.configDir, f.path), f]));
  const refused = new Map<string, string>();
  let changed = 0;
  for (const c of spec.certificates ?? []) {
    const file = certPath(spec, c.id);
    const f = pems.get(file);
    if (!f) continue;
    const line = crtListLine(spec, c);
    const known = listed.has(file);
    const contentChanged = (await readIfExists(file)) !== f.content;
    const rebind = known && listed.get(file) !== line;
    try {
      if (contentChanged || !known) await replaceCertificate(socket, file, f.content, known, log);
      if (rebind) expectSuccess(`del ssl crt-list ${list} ${file}`, await runtimeApi(socket, [`del ssl crt-list ${list} ${file}`]), /deleted|Success/);
      if (!known || rebind) expectSuccess(`add ssl crt-list ${list}`, await runtimePayload(socket, `add ssl crt-list ${list}`, line), /Success/);
      if (contentChanged || !known || rebind) changed++;
    } catch (e) {
      refused.set(c.id, (e as Error).message);
    }
  }
  const wanted = new Set((spec.certificates ?? []).filter((c) => !refused.has(c.id)).map((c) => certPath(spec, c.id)));
  for (const file of listed.keys()) {
    if (wanted.has(file) || refused.has(path.basename(file, '.pem'))) continue;
    await dropCertificate(socket, list, file);
    changed++;
  }
  return { changed, refused };
}

/** Loads a certificate into the running HAProxy (a new one, or in place of the loaded one); undone on refusal. */
async function replaceCertificate(socket: string, file: string, pem: string, known: boolean, log: Logger): Promise<void> {
  if (!known) expectSuccess(`new ssl cert ${file}`, await runtimeApi(socket, [`new ssl cert ${file}`]), /New empty certificate store|already exists/);
  try {
    expectSuccess(`set ssl cert ${file}`, await runtimePayload(socket, `set ssl cert ${file}`, pem), /Transaction (created|updated)/);
    expectSuccess(`commit ssl cert ${file}`, await runtimeApi(socket, [`commit ssl cert ${file}`]), /Success/);
  } catch (e) {
    const undo = [`abort ssl cert ${file}`, ...(known ? [] : [`del ssl cert ${file}`])];
    const answer = await runtimeApi(socket, undo);
    log.warn({ file, answer: answer.trim() }, 'certificate refused by HAProxy at runtime: transaction aborted');
    throw e;
  }
}

/** Removes a certificate from the running HAProxy (from its crt-list, then from memory). */
async function dropCertificate(socket: string, crtList: string, file: string): Promise<void> {
  expectSuccess(`del ssl crt-list ${crtList} ${file}`, await runtimeApi(socket, [`del ssl crt-list ${crtList} ${file}`]), /Entry .* deleted|Success/);
  expectSuccess(`del ssl cert ${file}`, await runtimeApi(socket, [`del ssl cert ${file}`]), /deleted|Success/);
}

/** Certificate files under certs/ that are not among `keep` (relative paths). */
export async function strayCertificateFiles(spec: EdgeSpec, keep: Set<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.join(spec.configDir, CERTS_DIR));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.map((n) => `${CERTS_DIR}/${n}`).filter((p) => isCertificateFile(p) && !keep.has(p));
}
