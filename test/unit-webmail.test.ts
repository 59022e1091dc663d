// The webmail's pure parts: Roundcube's config (the map of mail domains to their servers, the
// des_key), its PHP-FPM master and its own Apache (test/golden/webmail/); a value that cannot be
// written is refused, and a bad mail domain is left out alone.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import {
  partitionWebmailDomains, renderWebmailApacheMain, renderWebmailConfig, renderWebmailFpm, renderWebmailPrepend, type WebmailServers, type WebmailServiceSpec,
} from '../src/mail/render-webmail.js';
import { goldenTests } from './harness/golden.js';
import { loadConfig } from '../src/platform/config.js';

interface Input { spec: WebmailServiceSpec; servers: WebmailServers; desKey: string }

goldenTests('webmail', ({ spec, servers, desKey }: Input) => [
  { path: 'config.inc.php', content: renderWebmailConfig(spec, servers, desKey), mode: 0o640 },
  { path: 'prepend.php', content: renderWebmailPrepend(spec), mode: 0o644 },
  { path: 'php-fpm.conf', content: renderWebmailFpm(spec), mode: 0o644 },
  { path: 'apache2.conf', content: renderWebmailApacheMain(spec), mode: 0o644 },
]);

const servers: WebmailServers = {
  domains: [{ name: 'a-org.example', server: 'mail-1', address: '10.0.0.25' }, { name: 'b-org.example', server: 'mail-1', address: '10.0.0.25' }],
  ports: { imaps: 993, submission: 587 },
};

test('a mail domain that cannot be written is left out alone; the others stay', () => {
  const bad = [
    { name: "evil.example' => ['imap' => 'ssl://attacker.example:993'], 'x", server: 'mail-1', address: '10.0.0.25' },
    { name: 'c-org.example', server: 'mail-1', address: "10.0.0.25', 'smtp' => 'x" },
    { name: 'A-ORG.example', server: 'mail-1', address: '10.0.0.25' },
    { name: 'a-org.example', server: 'mail-2', address: '10.0.0.26' },
  ];
  const { kept, leftOut } = partitionWebmailDomains({ ...servers, domains: [...servers.domains, ...bad] });
  assert.deepEqual(kept.domains, servers.domains);
  // the duplicate (a second server claiming a-org.example) never replaces the first: it is reported by name
  assert.deepEqual([...leftOut.keys()].sort(), [bad[0]!.name, 'A-ORG.example', 'a-org.example', 'c-org.example'].sort());
  assert.ok([...leftOut.values()].every((p) => p.code === 'render.invalid'));
});

test('the renderers refuse what could break their files', () => {
  const spec = JSON.parse(JSON.stringify({
    user: 'abri-webmail', group: 'abri-webmail', webUser: 'www-data', socket: '/run/abri/webmail/fpm.sock', configDir: '/etc/abri/webmail', pluginsDir: '/p', prependFile: '/p.php',
    dbDir: '/db', tmpDir: '/tmp/w', logDir: '/log',
    fpm: { binary: '/usr/sbin/php-fpm8.2', configDir: '/f', pidFile: '/f.pid', errorLog: '/f.log' },
    apache: { configDir: '/a', runDir: '/r', logDir: '/l', modulesDir: '/m', listenAddress: '127.0.0.1', listenPort: 8091 },
  })) as WebmailServiceSpec;
  for (const bad of [{ user: 'x\nuser = root' }, { socket: '/run/a b' }, { configDir: "/etc/a'b" }, { dbDir: '/db?x' }]) {
    assert.throws(() => { renderWebmailFpm({ ...spec, ...bad }); renderWebmailApacheMain({ ...spec, ...bad }); renderWebmailConfig({ ...spec, ...bad }, servers, 'q83vEjRWeJCrze8SNFZ4kKvN'); }, Error, JSON.stringify(bad));
  }
  assert.throws(() => renderWebmailConfig(spec, { ...servers, ports: { imaps: 0, submission: 587 } }, 'q83vEjRWeJCrze8SNFZ4kKvN'));
  const config = renderWebmailConfig(spec, servers, 'q83vEjRWeJCrze8SNFZ4kKvN');
  assert.match(config, /^ {2}'b-org\.example' => \['imap' => 'ssl:\/\/10\.0\.0\.25:993', 'smtp' => 'tls:\/\/10\.0\.0\.25:587'\],$/m);
  assert.match(config, /^\$config\['plugins'\] = \['abri_webmail'\];$/m, 'only Abri\'s plugin');
});

test('the edge\'s addresses are the only proxies Roundcube trusts; one that cannot be written is left out', () => {
  const { kept } = partitionWebmailDomains({ ...servers, proxies: ['10.0.0.10', "10.0.0.11', '0.0.0.0", '2001:db8::10', '0.0.0.0/0'] });
  assert.deepEqual(kept.proxies, ['10.0.0.10', '2001:db8::10']);
  const spec = JSON.parse(readFileSync('test/golden/webmail/web-node/input.json', 'utf8')).spec as WebmailServiceSpec;
  assert.match(renderWebmailConfig(spec, kept, 'q83vEjRWeJCrze8SNFZ4kKvN'), /^\$config\['proxy_whitelist'\] = \['10\.0\.0\.10', '2001:db8::10'\];$/m);
  assert.match(renderWebmailConfig(spec, servers, 'q83vEjRWeJCrze8SNFZ4kKvN'), /^\$config\['proxy_whitelist'\] = \[\];$/m, 'no edge: nobody\'s headers');
});

test('the webmail\'s name: webmail.<platform domain> by default, another name, or off; never the manager\'s own name', () => {
  const base = { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent' };
  const host = (raw: Record<string, string>) => loadConfig({}, { ...base, ...raw }).webmail.host;
  assert.equal(host({}), null, 'no platform domain: no webmail unless named');
  assert.equal(host({ ABRI_PLATFORM_DOMAIN: 'web4me.example' }), 'webmail.web4me.example');
  assert.equal(host({ ABRI_PLATFORM_DOMAIN: 'web4me.example', ABRI_WEBMAIL_NAME: 'off' }), null);
  assert.equal(host({ ABRI_WEBMAIL_NAME: 'Courrier.Example.NET' }), 'courrier.example.net');
  assert.throws(() => host({ ABRI_WEBMAIL_NAME: 'mail.example.net/x' }), /ABRI_WEBMAIL_NAME/);
  assert.throws(() => host({ ABRI_WEBMAIL_NAME: 'panel.example.net', ABRI_PUBLIC_URL: 'https://panel.example.net' }), /manager's own name/);
  // a custom name under the platform domain is a label no site may take
  assert.ok(loadConfig({}, { ...base, ABRI_PLATFORM_DOMAIN: 'web4me.example', ABRI_WEBMAIL_NAME: 'courrier.web4me.example' }).reservedLabels.includes('courrier'));
  const node = loadConfig({}, { ...base, ABRI_WEBMAIL_LISTEN: '127.0.0.1:9191', ABRI_WEBMAIL_USER: 'rc-web', ABRI_WEBMAIL_UID: '4242' }).node.webmail;
  assert.deepEqual(node, { host: '127.0.0.1', port: 9191, user: 'rc-web', uid: 4242, php: '' });
  assert.throws(() => loadConfig({}, { ...base, ABRI_WEBMAIL_USER: 'root; x' }), /ABRI_WEBMAIL_USER must be a system user name/);
});
