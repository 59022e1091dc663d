// The certificate of Abri's Pure-FTPd (real openssl, no server): a self-signed one until the platform
// certificate is issued; the platform's when its fingerprint changes, checked before it replaces the
// one in use; a broken or unreachable one keeps the previous.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalExecutor } from '../src/platform/executor.js';
import { ensureCertificate } from '../src/files/apply-ftp-service.js';

/** A certificate and its key, as PEM strings (a new pair each time). */
function pair(dir: string, cn: string): { cert: string; key: string } {
  const [k, c] = [path.join(dir, `${cn}.key`), path.join(dir, `${cn}.crt`)];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', k, '-out', c], { stdio: 'ignore' });
  return { cert: execFileSync('cat', [c], { encoding: 'utf8' }), key: execFileSync('cat', [k], { encoding: 'utf8' }) };
}
const subject = (file: string) => execFileSync('openssl', ['x509', '-in', file, '-noout', '-subject'], { encoding: 'utf8' });

test('the FTPS certificate: self-signed first, then the platform\'s, a broken one never replaces a good one', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-ftp-cert-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const exec = new LocalExecutor();
  const [file, state] = [path.join(dir, 'pure-ftpd.pem'), path.join(dir, 'certificate')];

  const first = await ensureCertificate(exec, file, state, null, null, 'web-1');
  assert.deepEqual(first, { installed: 'self-signed' });
  assert.match(subject(file), /CN ?= ?web-1/);

  const platform = pair(dir, '*.example.test');
  let fetched = 0;
  const fetch = async (id: string) => {
    fetched++;
    assert.equal(id, 'cert-1');
    return { id, fingerprint: 'f1', pem: `${platform.cert}${platform.key}` };
  };
  assert.deepEqual(await ensureCertificate(exec, file, state, { id: 'cert-1', fingerprint: 'f1' }, fetch, 'web-1'), { installed: 'f1' });
  assert.match(subject(file), /CN ?= ?\*\.example\.test/);
  assert.deepEqual(await ensureCertificate(exec, file, state, { id: 'cert-1', fingerprint: 'f1' }, fetch, 'web-1'), { installed: 'f1' });
  assert.equal(fetched, 1, 'the same fingerprint is not fetched again');

  // a renewal whose key is not the certificate's, then a manager that cannot be reached: the previous stays
  const other = pair(dir, 'other');
  const good = await readFile(file, 'utf8');
  const mismatched = await ensureCertificate(exec, file, state, { id: 'cert-1', fingerprint: 'f2' }, async (id) => ({ id, fingerprint: 'f2', pem: `${platform.cert}${other.key}` }), 'web-1');
  assert.equal(mismatched.installed, 'f1');
  assert.match(mismatched.error!, /not the certificate's/);
  const unreachable = await ensureCertificate(exec, file, state, { id: 'cert-1', fingerprint: 'f2' }, async () => { throw new Error('manager unreachable'); }, 'web-1');
  assert.match(unreachable.error!, /manager unreachable/);
  assert.equal(await readFile(file, 'utf8'), good);
});
