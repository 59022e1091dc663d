// A real WordPress, as a customer gets it onto a hosting: the files of Debian's `wordpress` package
// (its symlinks resolved, its Debian config layout of /etc/wordpress replaced by a plain
// wp-config.php), and a small browser (cookies, forms) speaking HTTP to a port with the site's Host.
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import { run } from '../harness/run.js';

export const WORDPRESS_DIR = '/usr/share/wordpress';

/** What this machine lacks to run WordPress (Debian packages of scripts/test-packages.txt). */
export function missingWordPress(): string[] {
  const need: Array<[string, string]> = [[WORDPRESS_DIR, 'wordpress'], [`${WORDPRESS_DIR}/wp-content/themes/twentytwentythree`, 'wordpress-theme-twentytwentythree'], ['/usr/bin/sftp', 'openssh-client'], ['/usr/sbin/sshd', 'openssh-server'],
    ['/etc/php/8.2/mods-available/mysqli.ini', 'php8.2-mysql'], ['/etc/php/8.2/mods-available/gd.ini', 'php8.2-gd'],
    ['/etc/php/8.2/mods-available/mbstring.ini', 'php8.2-mbstring'], ['/etc/php/8.2/mods-available/xml.ini', 'php8.2-xml']];
  return need.filter(([f]) => !existsSync(f)).map(([, p]) => p);
}

const phpString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** wp-config.php for the database Abri shows (host, port, name, user, password). */
export function wpConfig(db: { name: string; host: string; port: number; user: { name: string; password: string } }): string {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
  return [
    '<?php',
    `define('DB_NAME', ${phpString(db.name)});`,
    `define('DB_USER', ${phpString(db.user.name)});`,
    `define('DB_PASSWORD', ${phpString(db.user.password)});`,
    `define('DB_HOST', ${phpString(`${db.host}:${db.port}`)});`,
    "define('DB_CHARSET', 'utf8mb4');",
    "define('DB_COLLATE', '');",
    ...salts.map((k) => `define('${k}', '${randomBytes(32).toString('hex')}');`),
    "$table_prefix = 'wp_';",
    // a test machine has no Internet: no update checks or pings that would wait for their timeouts
    "define('WP_HTTP_BLOCK_EXTERNAL', true);",
    "define('AUTOMATIC_UPDATER_DISABLED', true);",
    "define('DISABLE_WP_CRON', true);",
    "if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');",
    "require_once ABSPATH . 'wp-settings.php';",
    '',
  ].join('\n');
}

/** Copies WordPress into `dir` (symlinks resolved; Debian's wp-config.php and .htaccess left out), writes wp-config.php; returns the file count. */
export async function wordpressTree(dir: string, db: Parameters<typeof wpConfig>[0]): Promise<number> {
  await run('cp', ['-rL', `${WORDPRESS_DIR}/.`, dir]);
  await rm(path.join(dir, '.htaccess')); // Debian's points at /etc/wordpress/htaccess: WordPress writes its own
  await writeFile(path.join(dir, 'wp-config.php'), wpConfig(db), { mode: 0o644 });
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
}

/** A width × height RGB PNG (a gradient), made here: no image file in the repository. */
export function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 128], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

export interface Page { status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string }

/** A browser of one site through one port: keeps cookies, sends forms, never follows redirects. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly port: number, readonly host: string) {}

  request(method: string, urlPath: string, opts: { body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { host: this.host, 'user-agent': 'abri-test', ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, path: urlPath, method, headers, agent: false, timeout: 120_000 }, (res) => {
        for (const c of res.headers['set-cookie'] ?? []) {
          const [pair, ...attrs] = c.split(';');
          const [name, value] = [pair!.slice(0, pair!.indexOf('=')).trim(), pair!.slice(pair!.indexOf('=') + 1).trim()];
          const expires = attrs.map((a) => /^\s*expires=(.*)$/i.exec(a)?.[1]).find(Boolean);
          if (expires && Date.parse(expires) < Date.now()) this.cookies.delete(name);
          else this.cookies.set(name, value);
        }
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const body = Buffer.concat(parts);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${this.host}${urlPath}`)));
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  get(urlPath: string, headers: Record<string, string> = {}) {
    return this.request('GET', urlPath, { headers });
  }

  /** POSTs an HTML form (application/x-www-form-urlencoded). */
  post(urlPath: string, form: Record<string, string>) {
    return this.request('POST', urlPath, { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

/** The value of a hidden form field of a page (WordPress's nonces). */
export function field(html: string, name: string): string {
  const m = new RegExp(`name=["']${name}["'][^>]*value=["']([^"']*)["']`).exec(html) ?? new RegExp(`value=["']([^"']*)["'][^>]*name=["']${name}["']`).exec(html);
  if (!m) throw new Error(`no field ${name} in the page: ${html.slice(0, 500)}`);
  return m[1]!;
}
