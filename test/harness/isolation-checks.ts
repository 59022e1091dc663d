// What proves that two hostings on one web node are isolated, shared by the test that runs the
// production drivers on a desired state it writes (web-node.test.ts) and the one that goes through
// the manager and its agent (agent-isolation.test.ts): the files each hosting puts in its document root (written as its uid),
// the .htaccess attacks hosting A aims at B's PHP-FPM pool, and the checks made through the edge.
import assert from 'node:assert/strict';
import { chmod, chown, lchown, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpAnswer } from './http.js';
import { run } from './run.js';

/** A hosting as the checks see it: its account, its home, the document root of its site, its FPM socket. */
export interface IsolatedHosting {
  name: string;
  uid: number;
  home: string;
  /** absolute document root of the site the checks use */
  docroot: string;
  /** its PHP-FPM pool's socket */
  socket: string;
}

/** GET through the edge with a Host header. */
export type Get = (host: string, urlPath: string) => Promise<HttpAnswer>;

/** Prints the PHP uid and open_basedir: `uid=<uid> basedir=<home>/`. */
export const WHO_PHP = '<?php echo "uid=", posix_getuid(), " basedir=", ini_get("open_basedir"), "\\n";';

/** Creates a directory (and its parents) owned by the hosting, mode 0755. */
export async function dirAs(owner: { uid: number }, d: string): Promise<void> {
  await mkdir(d, { recursive: true });
  await chown(d, owner.uid, owner.uid);
  await chmod(d, 0o755);
}

/** Writes a file as the hosting would (owner and mode), creating its directory. */
export async function putAs(owner: { uid: number }, file: string, content: string, mode: number): Promise<void> {
  await dirAs(owner, path.dirname(file));
  await writeFile(file, content);
  await chown(file, owner.uid, owner.uid);
  await chmod(file, mode);
}

/** Every way an .htaccess can choose a handler or FastCGI variables, aimed at the victim's pool. */
export function attacksOn(victim: IsolatedHosting): Record<string, string> {
  const target = `proxy:unix:${victim.socket}|fcgi://x`;
  const script = `${victim.docroot}/index.php`;
  return {
    'sethandler': `SetHandler "${target}"`,
    'sethandler-script': `SetHandler "${target}"\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${script}"`,
    'sethandler-if': `SetHandler "${target}"\n<If "true">\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${script}"\n</If>`,
    'filesmatch': `<FilesMatch "\\.php$">\nSetHandler "${target}"\n</FilesMatch>\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${script}"`,
    'addhandler': `AddHandler "${target}" .php\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${script}"`,
    'rewrite-h': `RewriteEngine On\nRewriteRule ^ - [H=${target}]\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${script}"`,
    'rewrite-p': `RewriteEngine On\nRewriteRule ^ "unix:${victim.socket}|fcgi://localhost${script}" [P]`,
  };
}

/** The victim's files: index.php (who am I), secret.txt 0600, static.txt 0604. */
export async function plantVictim(b: IsolatedHosting): Promise<void> {
  await dirAs(b, b.docroot);
  await putAs(b, `${b.docroot}/index.php`, WHO_PHP, 0o644);
  await putAs(b, `${b.docroot}/secret.txt`, `secret of ${b.name}\n`, 0o600);
  await putAs(b, `${b.docroot}/static.txt`, `static of ${b.name}\n`, 0o604);
}

/**
 * The attacker's files: who am I, static (0604) and secret (0600) files, a PHP reading the secret,
 * a PHP creating files, a probe aimed at B (file, home, socket, logs of A), a symlink to B's file,
 * one directory per .htaccess attack, and an .htaccess trying to override PHP admin settings.
 */
export async function plantAttacker(a: IsolatedHosting, b: IsolatedHosting): Promise<void> {
  const www = a.docroot;
  await dirAs(a, www);
  await putAs(a, `${www}/index.php`, WHO_PHP, 0o644);
  await putAs(a, `${www}/static.txt`, `static of ${a.name}\n`, 0o604);
  await putAs(a, `${www}/secret.txt`, `secret of ${a.name}\n`, 0o600);
  await putAs(a, `${www}/read-secret.php`, '<?php echo file_get_contents(__DIR__ . "/secret.txt");', 0o644);
  await putAs(a, `${www}/write.php`, '<?php file_put_contents(__DIR__ . "/created.txt", "made by PHP\\n"); mkdir(__DIR__ . "/made-dir"); echo "ok";', 0o644);
  await putAs(a, `${www}/probe.php`, `<?php
    $r = [];
    $r['readB'] = @file_get_contents(${JSON.stringify(`${b.docroot}/secret.txt`)}) === false ? 'denied' : 'READ';
    $r['listB'] = @scandir(${JSON.stringify(b.home)}) === false ? 'denied' : 'LISTED';
    $s = @stream_socket_client(${JSON.stringify(`unix://${b.socket}`)}, $errno, $errstr, 2);
    $r['socketB'] = $s === false ? "denied: $errstr" : 'CONNECTED';
    echo json_encode($r);`, 0o644);
  await putAs(a, `${www}/logs.php`, `<?php
    $log = ${JSON.stringify(`${a.home}/var/log`)};
    $r = [];
    foreach (glob("$log/*.log") as $f) $r['append ' . basename($f)] = @file_put_contents($f, "forged\\n", FILE_APPEND) === false ? 'denied' : 'WRITTEN';
    foreach (glob("$log/*.log") as $f) $r['rename ' . basename($f)] = @rename($f, "$f.moved") ? 'RENAMED' : 'denied';
    foreach (glob("$log/*.log") as $f) $r['unlink ' . basename($f)] = @unlink($f) ? 'UNLINKED' : 'denied';
    $r['create'] = @file_put_contents("$log/new.log", "x") === false ? 'denied' : 'CREATED';
    $r['symlink'] = @symlink('/etc/shadow', "$log/evil.log") ? 'LINKED' : 'denied';
    $r['renameDir'] = @rename($log, "$log.old") ? 'RENAMED' : 'denied';
    $r['renameVar'] = @rename(${JSON.stringify(`${a.home}/var`)}, ${JSON.stringify(`${a.home}/var.old`)}) ? 'RENAMED' : 'denied';
    echo json_encode($r);`, 0o644);
  await symlink(`${b.docroot}/static.txt`, `${www}/link-to-b.txt`);
  await lchown(`${www}/link-to-b.txt`, a.uid, a.uid);
  for (const [name, htaccess] of Object.entries(attacksOn(b))) {
    await putAs(a, `${www}/attack-${name}/.htaccess`, `${htaccess}\n`, 0o644);
    await putAs(a, `${www}/attack-${name}/who.php`, WHO_PHP, 0o644);
    await putAs(a, `${www}/attack-${name}/who.txt`, WHO_PHP, 0o644);
  }
  await putAs(a, `${www}/inject/.htaccess`, 'SetEnv PHP_ADMIN_VALUE "open_basedir=/"\nSetEnv PHP_VALUE "open_basedir=/"\n', 0o644);
  await putAs(a, `${www}/inject/who.php`, WHO_PHP, 0o644);
}

/** A WordPress-style front controller under `base` ('/' or '/blog/') of a document root. */
export async function plantWordPress(h: { uid: number }, docroot: string, base: string): Promise<void> {
  const dir = path.join(docroot, base);
  await putAs(h, `${dir}/.htaccess`, `# BEGIN WordPress\nRewriteEngine On\nRewriteBase ${base}\nRewriteRule ^index\\.php$ - [L]\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteCond %{REQUEST_FILENAME} !-d\nRewriteRule . ${base}index.php [L]\n# END WordPress\n`, 0o644);
  await putAs(h, `${dir}/index.php`, '<?php echo "wordpress front controller for ", $_SERVER["REQUEST_URI"];', 0o644);
  await putAs(h, `${dir}/wp-content/style.css`, 'body{}', 0o644);
}

// ---- checks (all through the edge, `host` being a site of the hosting whose docroot holds the files)

export async function checkRunsAs(get: Get, host: string, h: IsolatedHosting, urlPath = '/'): Promise<void> {
  const r = await get(host, urlPath);
  assert.equal(r.status, 200, `${host}${urlPath}: ${r.body}`);
  assert.equal(r.body, `uid=${h.uid} basedir=${h.home}/\n`, `${host} runs PHP as ${h.name}`);
}

export async function checkWordPress(get: Get, host: string, base: string): Promise<void> {
  const r = await get(host, `${base}2024/05/hello-world/`);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.body, `wordpress front controller for ${base}2024/05/hello-world/`);
  const css = await get(host, `${base}wp-content/style.css`);
  assert.equal(css.body, 'body{}', 'existing files are served as they are (RewriteCond !-f)');
}

export async function checkFileModes(get: Get, host: string, a: IsolatedHosting): Promise<void> {
  const served = await get(host, '/static.txt');
  assert.equal(served.status, 200, 'a 0604 file is served');
  assert.equal(served.body, `static of ${a.name}\n`);
  const secret = await get(host, '/secret.txt');
  assert.equal(secret.status, 403, 'a 0600 file is not served by Apache');
  assert.doesNotMatch(secret.body, /secret of/);
  assert.equal((await get(host, '/read-secret.php')).body, `secret of ${a.name}\n`, 'the hosting\'s PHP reads its 0600 file');
}

/** FPM's master runs with umask 0022: what PHP creates is 0644 (dirs 0755), owned by the hosting, served. */
export async function checkPhpCreatesReadableFiles(get: Get, host: string, a: IsolatedHosting): Promise<void> {
  assert.equal((await get(host, '/write.php')).body, 'ok');
  const created = await stat(`${a.docroot}/created.txt`);
  assert.equal(created.mode & 0o777, 0o644);
  assert.equal(created.uid, a.uid);
  assert.equal((await stat(`${a.docroot}/made-dir`)).mode & 0o777, 0o755);
  assert.equal((await get(host, '/created.txt')).body, 'made by PHP\n');
}

export async function checkCannotReach(get: Get, host: string, a: IsolatedHosting, b: IsolatedHosting): Promise<void> {
  const probe = await get(host, '/probe.php');
  const r = JSON.parse(probe.body) as Record<string, string>;
  assert.equal(r.readB, 'denied');
  assert.equal(r.listB, 'denied');
  assert.match(r.socketB, /^denied/);
  // the same without open_basedir: plain Unix permissions already stop A's uid
  const cat = await run('runuser', ['-u', a.name, '--', 'cat', `${b.docroot}/secret.txt`], { allowFailure: true });
  assert.notEqual(cat.code, 0);
  assert.match(cat.stderr, /Permission denied/);
  const ls = await run('runuser', ['-u', a.name, '--', 'ls', b.home], { allowFailure: true });
  assert.notEqual(ls.code, 0);
  const nc = await run('runuser', ['-u', a.name, '--', 'php8.2', '-r', `exit(@stream_socket_client("unix://${b.socket}") === false ? 0 : 1);`], { allowFailure: true });
  assert.equal(nc.code, 0, `${a.name} connected to ${b.name}'s FPM socket outside PHP-FPM`);
}

export async function checkSymlinkNotFollowed(get: Get, host: string, b: IsolatedHosting): Promise<void> {
  const r = await get(host, '/link-to-b.txt');
  assert.equal(r.status, 403);
  assert.doesNotMatch(r.body, new RegExp(`static of ${b.name}`));
}

export async function checkNoHtaccessRunsOther(get: Get, host: string, b: IsolatedHosting): Promise<void> {
  for (const name of Object.keys(attacksOn(b))) {
    for (const file of ['who.php', 'who.txt']) {
      const r = await get(host, `/attack-${name}/${file}`);
      assert.doesNotMatch(r.body, new RegExp(`uid=${b.uid}`), `attack ${name} on ${file} ran ${b.name}'s PHP (${r.status})`);
      assert.doesNotMatch(r.body, /htaccess/, `the .htaccess of attack ${name} must be read (${r.status})`);
    }
  }
}

export async function checkNoPhpAdminInjection(get: Get, host: string, a: IsolatedHosting): Promise<void> {
  const r = await get(host, '/inject/who.php');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.body, `uid=${a.uid} basedir=${a.home}/\n`);
}

/**
 * The per-site logs Apache (root) writes under var/log cannot be forged, moved, replaced by a symlink
 * or have their directory renamed by the hosting (its PHP, and its uid outside PHP), but the hosting
 * reads them. `logs` are the file names that must exist there.
 */
export async function checkLogsProtected(get: Get, host: string, a: IsolatedHosting, logs: string[]): Promise<void> {
  const r = JSON.parse((await get(host, '/logs.php')).body) as Record<string, string>;
  for (const log of logs) {
    assert.equal(r[`append ${log}`], 'denied', `${log} is writable by the hosting (${JSON.stringify(r)})`);
    assert.equal(r[`rename ${log}`], 'denied');
    assert.equal(r[`unlink ${log}`], 'denied');
  }
  for (const [what, outcome] of Object.entries(r)) assert.equal(outcome, 'denied', `${what}: ${outcome}`);
  for (const args of [['mv', `${a.home}/var/log`, `${a.home}/var/log.old`], ['mv', `${a.home}/var`, `${a.home}/var.old`], ['rm', '-f', `${a.home}/var/log/${logs[0]}`], ['ln', '-s', '/etc/shadow', `${a.home}/var/log/evil.log`]]) {
    const res = await run('runuser', ['-u', a.name, '--', ...args], { allowFailure: true });
    assert.notEqual(res.code, 0, `${a.name} could run ${args.join(' ')}`);
  }
  for (const log of logs) {
    assert.equal((await stat(`${a.home}/var/log/${log}`)).uid, 0, `${log} stays root's`);
    const read = await run('runuser', ['-u', a.name, '--', 'cat', `${a.home}/var/log/${log}`], { allowFailure: true });
    assert.equal(read.code, 0, `${a.name} can read its own ${log}: ${read.stderr}`);
  }
}
