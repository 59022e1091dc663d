// What the integration tests need of the machine: the service binaries, root, free loopback ports.
// (The services themselves are started by the production drivers: test/helpers/node.ts.)
import net from 'node:net';
import { findExecutable } from './run.js';

export const SERVICE_BINARIES = { apache: 'apache2', fpm: 'php-fpm8.2', haproxy: 'haproxy', setfacl: 'setfacl', useradd: 'useradd' };

/** What is missing to run the web-node services here (empty: everything is there). */
export function missingServices(): string[] {
  const missing = Object.values(SERVICE_BINARIES).filter((b) => !findExecutable(b));
  if (process.getuid?.() !== 0) missing.push('root (tests create Unix users)');
  return missing;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The first of `count` consecutive free loopback ports (Apache instances listen on port, port + 1…). */
export async function freePortRange(count: number): Promise<number> {
  const free = (port: number) => new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count > 65_535) continue;
    let ok = true;
    for (let k = 1; k < count && ok; k++) ok = await free(base + k);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}
