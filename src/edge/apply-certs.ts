// Certificates on the edge: one PEM file per certificate (certificate, chain, key; 0600) under
// certs/, fetched from the manager only when its fingerprint changed, and a self-signed default
// certificate for names that have none (HAProxy needs one to open its HTTPS port).
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import type { RenderedFile } from '../platform/render.js';
import { inParallel } from '../platform/parallel.js';
import type { CertificateBundle } from '../agent/protocol.js';
import { CERTS_DIR, certPath, crtListPath } from './render-haproxy.js';
import { dropCertificate, swapCertificate } from './runtime-api.js';
import type { EdgeSpec } from './spec.js';

export interface CertificateFiles {
  files: RenderedFile[];
  /** certificates that could not be fetched: id → reason */
  failed: Map<string, string>;
}

/** SHA-256 of the first certificate of a PEM text (hex), or null. */
export function pemFingerprint(pem: string): string | null {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!block) return null;
  try {
    return new X509Certificate(block).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch {
    return null;
  }
}

const rel = (id: string) => `${CERTS_DIR}/${id}.pem`;

/** The PEM file of each wanted certificate: what is on disk when current, else fetched from the manager. */
export async function certificateFiles(spec: EdgeSpec, wanted: Array<{ id: string; fingerprint: string }>, fetch: (id: string) => Promise<CertificateBundle>, log: Logger): Promise<CertificateFiles> {
  const files: RenderedFile[] = [];
  const failed = new Map<string, string>();
  // fetched a few at a time (a renewal wave brings many), listed in the order wanted
  const found = new Map<string, RenderedFile>();
  await inParallel(wanted, 8, async (c) => {
    const current = await readFile(certPath(spec, c.id), 'utf8').catch(() => null);
    if (current && pemFingerprint(current) === c.fingerprint) {
      found.set(c.id, { path: rel(c.id), content: current, mode: 0o600 });
      return;
    }
    try {
      const bundle = await fetch(c.id);
      if (!pemFingerprint(bundle.pem)) throw new Error('the manager sent no certificate');
      found.set(c.id, { path: rel(c.id), content: bundle.pem, mode: 0o600 });
    } catch (e) {
      failed.set(c.id, `certificate not fetched: ${(e as Error).message}`);
      log.warn({ certificate: c.id, err: e }, 'certificate not fetched; the edge serves the others');
    }
  });
  for (const c of wanted) if (found.has(c.id)) files.push(found.get(c.id)!);
  return { files, failed };
}

/** certs/default.pem: kept once made; made with openssl (self-signed, EC P-256) on first use. */
export async function defaultCertificate(exec: Executor, spec: EdgeSpec): Promise<RenderedFile> {
  const file = path.join(spec.configDir, CERTS_DIR, 'default.pem');
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current && pemFingerprint(current)) return { path: `${CERTS_DIR}/default.pem`, content: current, mode: 0o600 };
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await exec.run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=abri-default',
      '-days', '3650', '-keyout', key, '-out', cert]);
    return { path: `${CERTS_DIR}/default.pem`, content: `${(await readFile(cert, 'utf8')).trim()}\n${(await readFile(key, 'utf8')).trim()}\n`, mode: 0o600 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Makes the running HAProxy serve the certificate files in `files`: swaps changed ones in place,
 * adds new ones to the crt-list, drops the ones no longer wanted. Files are written by the caller.
 * Returns how many certificates changed.
 */
export async function swapCertificatesAtRuntime(spec: EdgeSpec, files: RenderedFile[], socket: string): Promise<number> {
  const list = crtListPath(spec);
  const listed = new Set((await readFile(list, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  const wanted = new Map(files.filter((f) => f.path.startsWith(`${CERTS_DIR}/`) && f.path.endsWith('.pem') && f.path !== `${CERTS_DIR}/default.pem`).map((f) => [path.join(spec.configDir, f.path), f]));
  let changed = 0;
  for (const [file, f] of wanted) {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current === f.content && listed.has(file)) continue;
    await swapCertificate(socket, list, file, f.content, listed.has(file));
    changed++;
  }
  const onDisk = (await readdir(path.join(spec.configDir, CERTS_DIR)).catch(() => [] as string[])).filter((n) => n.endsWith('.pem') && n !== 'default.pem');
  for (const name of onDisk) {
    const file = path.join(spec.configDir, CERTS_DIR, name);
    if (wanted.has(file)) continue;
    if (listed.has(file)) await dropCertificate(socket, list, file);
    changed++;
  }
  return changed;
}
