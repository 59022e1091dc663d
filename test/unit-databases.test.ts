// Pure rules of databases: names, GRANT patterns, MariaDB's password hash, quotas, the read-only
// hysteresis, and the statements the agent sends (every name checked before it is written).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../src/errors.js';
import { AppError } from '../src/platform/errors.js';
import { assertQuota, authString, fullName, grantPattern, isDatabaseName, isUserName, MB, readOnlyAfter, readOnlyReason } from '../src/databases/rules.js';
import {
  renderDatabaseScript, sqlCreateDatabase, sqlCreateUser, sqlDropDatabase, sqlGrant, sqlRevokeOnPattern,
} from '../src/databases/render-mariadb.js';

test('names are <hosting>_<suffix>, databases up to 64 characters, users up to 32', () => {
  assert.equal(fullName('database', 'h12', 'wp'), 'h12_wp');
  assert.equal(fullName('database', 'h12', 'a'.repeat(60)).length, 64);
  assert.throws(() => fullName('database', 'h12', 'a'.repeat(61)), (e: AppError) => e.code === 'database.name_too_long' && e.params.max === 60);
  assert.equal(fullName('database_user', 'h100012', 'a'.repeat(24)).length, 32);
  assert.throws(() => fullName('database_user', 'h100012', 'a'.repeat(25)), (e: AppError) => e.code === 'database_user.name_too_long' && e.issues?.[0]?.path === 'body.name');
  for (const ok of ['h12_wp', 'abt194000_a_b', 'h1__x', 'w4a100010_0']) assert.ok(isDatabaseName(ok), ok);
  // system schemas and Abri's own never pass: a hosting's name ends with digits
  for (const bad of ['mysql', 'sys', 'abri', 'performance_schema', 'information_schema', 'h12', '12_x', 'h12_', 'h12_W', 'h12_a-b', 'h12_a`b', 'h12_é', `h12_${'a'.repeat(61)}`]) {
    assert.ok(!isDatabaseName(bad), bad);
  }
  assert.ok(!isUserName(`h12_${'a'.repeat(29)}`) && isUserName(`h12_${'a'.repeat(28)}`));
});

test('GRANT patterns escape the wildcards: h1_x matches neither h12x nor h1_xy', () => {
  assert.equal(grantPattern('h1_x'), 'h1\\_x');
  assert.equal(grantPattern('h1__x'), 'h1\\_\\_x');
  assert.equal(sqlGrant(['SELECT', 'INSERT'], 'h1__x', 'h1_u'), "GRANT SELECT, INSERT ON `h1\\_\\_x`.* TO 'h1_u'@'%'");
  // what MariaDB's LIKE-style matching makes of the escaped pattern: only the name itself
  const matches = (pattern: string, name: string) => new RegExp(`^${pattern.replace(/\\_|\\%|_|%|[^\\_%]+/g, (t) =>
    t === '\\_' ? '_' : t === '\\%' ? '%' : t === '_' ? '.' : t === '%' ? '.*' : t.replace(/[.*+?^${}()|[\]]/g, '\\$&'))}$`).test(name);
  assert.ok(matches(grantPattern('h1__x'), 'h1__x'));
  assert.ok(!matches(grantPattern('h1__x'), 'h12_x'), 'escaped: no match of another hosting');
  assert.ok(matches('h1__x', 'h12_x'), 'unescaped, the trap the escaping avoids');
});

test('the password hash is MariaDB\'s mysql_native_password string', () => {
  // SELECT PASSWORD('secret') on MariaDB 10.11
  assert.equal(authString('secret'), '*14E65567ABDB5135D0CFD9A70B3032C179A49EE7');
  assert.match(authString('é 😀'), /^\*[0-9A-F]{40}$/);
});

test('statements refuse anything that is not one of Abri\'s names or hashes', () => {
  assert.equal(sqlCreateDatabase('h12_wp'), 'CREATE DATABASE `h12_wp` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  assert.equal(sqlCreateUser('h12_wp', authString('secret'), true), "CREATE USER 'h12_wp'@'%' IDENTIFIED BY PASSWORD '*14E65567ABDB5135D0CFD9A70B3032C179A49EE7' ACCOUNT LOCK");
  assert.throws(() => sqlDropDatabase('mysql'));
  assert.throws(() => sqlCreateUser("h1_x'@'%' IDENTIFIED BY 'x", authString('x'), false));
  assert.throws(() => sqlCreateUser('h1_x', "*' OR '1", false));
  assert.throws(() => sqlGrant(['ALL PRIVILEGES'], 'h1_x', 'h1_x'));
  assert.throws(() => sqlGrant(['SUPER'], 'h1_x', 'h1_x'));
  assert.equal(sqlRevokeOnPattern(['SELECT'], 'h1_%', 'h1_x'), "REVOKE SELECT ON `h1_%`.* FROM 'h1_x'@'%'");
  assert.equal(sqlRevokeOnPattern(['SELECT'], 'a`b', 'h1_x'), "REVOKE SELECT ON `a``b`.* FROM 'h1_x'@'%'");
  const script = renderDatabaseScript({
    databases: [{ id: '1', name: 'h1_a', readOnly: false }, { id: '2', name: 'mysql', readOnly: false }],
    users: [{ id: '3', name: 'h1_a', authString: authString('x'), locked: false, databases: ['h1_a', 'mysql'] }],
  });
  assert.match(script, /CREATE DATABASE IF NOT EXISTS `h1_a`/);
  assert.match(script, /-- left out \(not a database name Abri makes: "mysql"\)/);
  assert.doesNotMatch(script, /ON `mysql`/);
});

test('quotas: databases and users each up to the offer\'s maxDatabases', () => {
  assertQuota('databases', { name: 'S', maxDatabases: 2 }, 1);
  assert.throws(() => assertQuota('databases', { name: 'S', maxDatabases: 2 }, 2), (e: AppError) => e.code === 'quota.databases_exceeded' && e.params.max === 2);
  assert.throws(() => assertQuota('database_users', { name: 'S', maxDatabases: 0 }, 0), (e: AppError) => e.code === 'quota.database_users_exceeded');
});

test('read-only hysteresis: over the quota writes stop, under 90 % they come back', () => {
  const quota = 10; // MB
  assert.equal(readOnlyAfter(false, 10 * MB, quota), false, 'at the quota: still writable');
  assert.equal(readOnlyAfter(false, 10 * MB + 1, quota), true, 'over it: read-only');
  assert.equal(readOnlyAfter(true, 9.5 * MB, quota), true, 'between 90 and 100 %: stays read-only');
  assert.equal(readOnlyAfter(true, 9 * MB, quota), true, 'at exactly 90 %: stays');
  assert.equal(readOnlyAfter(true, 9 * MB - 1, quota), false, 'under 90 %: writable again');
  assert.equal(readOnlyAfter(false, 9.5 * MB, quota), false, 'between 90 and 100 % coming from below: writable');
  const why = readOnlyReason('2026-01-01T00:00:00Z', 11 * MB, quota);
  assert.equal(why.code, 'quota.database_space_exceeded');
  assert.deepEqual(why.params, { usedBytes: 11 * MB, maxBytes: 10 * MB, resumeBelowBytes: 9 * MB });
  assert.match(why.message, /11 MB of the 10 MB/);
});
