// The web database admin's pure parts: the MariaDB statements of an account with a console password,
// and the pool, Apache lines and wrapper config it is served with (a value that cannot be written is refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifiedKey, sqlCreateUser, sqlSetPassword } from '../src/databases/render-mariadb.js';
import {
  renderDbadminApache, renderDbadminApacheMain, renderDbadminConfig, renderDbadminFpm, renderDbadminPool, type DbadminServiceSpec, type DbadminSpec,
} from '../src/databases/render-dbadmin.js';
import { goldenTests } from './harness/golden.js';

// what a web node runs the database admin with: its PHP-FPM master and its own Apache (test/golden/dbadmin/)
goldenTests('dbadmin', (s: DbadminServiceSpec) => [
  { path: 'php-fpm.conf', content: renderDbadminFpm(s), mode: 0o644 },
  { path: 'apache2.conf', content: renderDbadminApacheMain(s), mode: 0o644 },
]);

const A = `*${'A'.repeat(40)}`;
const B = `*${'B'.repeat(40)}`;

test('an account with a console password signs in either way; without one, as before', () => {
  assert.equal(sqlCreateUser('h1_wp', A, false), `CREATE USER 'h1_wp'@'%' IDENTIFIED BY PASSWORD '${A}'`);
  assert.equal(sqlCreateUser('h1_wp', A, true, B), `CREATE USER 'h1_wp'@'%' IDENTIFIED VIA mysql_native_password USING '${A}' OR mysql_native_password USING '${B}' ACCOUNT LOCK`);
  assert.equal(sqlSetPassword('h1_wp', A, B), `ALTER USER 'h1_wp'@'%' IDENTIFIED VIA mysql_native_password USING '${A}' OR mysql_native_password USING '${B}'`);
  assert.throws(() => sqlCreateUser('h1_wp', A, false, "*x' OR 1"));
  assert.deepEqual([identifiedKey(A), identifiedKey(A, B), identifiedKey(A, null)], [A, `${A} ${B}`, A]);
});

test('the pool, the Apache lines and the config of the database admin', () => {
  const spec: DbadminSpec = {
    user: 'abri-dbadmin', group: 'abri-dbadmin', webUser: 'www-data', socket: '/run/abri/dbadmin.sock', wrapper: '/usr/share/abri/dbadmin/index.php',
    configFile: '/etc/abri/dbadmin.php', sessionDir: '/var/lib/abri-dbadmin/sessions', tmpDir: '/var/lib/abri-dbadmin/tmp', urlPath: '/dbadmin/',
  };
  const pool = renderDbadminPool(spec).split('\n');
  for (const line of ['user = abri-dbadmin', 'listen.owner = www-data', 'listen.mode = 0600', 'env[ABRI_DBADMIN_CONFIG] = /etc/abri/dbadmin.php',
    'php_admin_value[open_basedir] = /usr/share/abri/dbadmin:/usr/share/adminer:/etc/abri/dbadmin.php:/var/lib/abri-dbadmin/sessions:/var/lib/abri-dbadmin/tmp']) {
    assert.ok(pool.includes(line), line);
  }
  assert.match(renderDbadminApache(spec), /^ProxyPassMatch "\^\/dbadmin\/\$" "unix:\/run\/abri\/dbadmin.sock\|fcgi:\/\/localhost\/usr\/share\/abri\/dbadmin\/index.php"$/m);
  for (const bad of [{ user: 'x\nuser = root' }, { socket: '/run/a b' }, { urlPath: '/' }, { urlPath: '/a"/' }]) {
    assert.throws(() => { renderDbadminPool({ ...spec, ...bad }); renderDbadminApache({ ...spec, ...bad }); }, Error, JSON.stringify(bad));
  }
  assert.equal(renderDbadminConfig('https://panel.example.net', "k'\\ey"), "<?php\nreturn ['manager' => 'https://panel.example.net', 'key' => 'k\\'\\\\ey'];\n");
  assert.throws(() => renderDbadminConfig("https://x'];system('id');//", 'k'));
});
