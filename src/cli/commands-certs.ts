// `abri cert …`: the certificates of sites (automatic from ACME, or uploaded), the platform's wildcard
// and the mail servers' (listed).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { about } from './command-list.js';
import { CliError } from './api-client.js';
import { client, listQuery, oneLine, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';


const certificates: Resource = {
  noun: 'certificate',
  path: '/api/v1/certificates',
  ref: 'site id or domain',
  columns: ['domain', 'status', 'source', 'notAfter', 'renewAt', 'lastError'],
  sorts: 'expiry, updatedAt, createdAt, status',
  // people read domains in Unicode (the API's domainUnicode) and one line per certificate
  row: (c) => ({ ...c, domain: c.domainUnicode ?? c.domain ?? (c.kind === 'mail' ? `(mail server ${String(c.server)})` : '(platform wildcard)'), lastError: oneLine(c.lastError, 100) }),
  label: (c) => String(c.domain ?? (c.kind === 'mail' ? `mail server ${String(c.server)}` : 'platform')),
};

function readPem(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function registerCertificateCommands(program: Command) {
  const cmd = program.command('cert').description(about.cert);
  const site = (ref: string) => `/api/v1/sites/${seg(ref)}/certificate`;

  withListOptions(cmd.command('list').description('list every certificate (staff)'), certificates.sorts)
    .option('--status <status>', 'pending, valid, failing or expired', oneOf(['pending', 'valid', 'failing', 'expired'] as const))
    .action(async (o: ListOptions & { status?: string }) => {
      printList(program, certificates, await client(program).get<Page>(certificates.path, { ...listQuery(o), status: o.status }));
    });

  cmd.command('show').description('show a site\'s certificate: status, names, expiry, next renewal, last error')
    .argument('<site>', 'site id or domain')
    .action(async (ref: string) => show(program, await client(program).get(site(ref))));

  cmd.command('renew').description('obtain the site\'s certificate again now')
    .argument('<site>', 'site id or domain')
    .action(async (ref: string) => show(program, await client(program).post<Item>(`${site(ref)}/renew`), `a new certificate for ${ref} is being obtained`));

  cmd.command('upload').description('use your own certificate for a site (it is not renewed by the platform)')
    .argument('<site>', 'site id or domain')
    .requiredOption('--cert <file>', 'PEM certificate (the chain may follow it)')
    .requiredOption('--key <file>', 'PEM private key (stored encrypted, never shown again)')
    .option('--chain <file>', 'PEM intermediate certificates')
    .action(async (ref: string, o: { cert: string; key: string; chain?: string }) => {
      const body = { certificate: readPem('certificate', o.cert), privateKey: readPem('key', o.key), ...(o.chain ? { chain: readPem('chain', o.chain) } : {}) };
      show(program, await client(program).post<Item>(site(ref), body), `certificate of ${ref} uploaded`);
    });

  cmd.command('remove').description('remove an uploaded certificate: the platform obtains one automatically again')
    .argument('<site>', 'site id or domain')
    .action(async (ref: string) => show(program, await client(program).delete<Item>(site(ref)), `uploaded certificate of ${ref} removed; an automatic one is being obtained`));

  cmd.command('mail').description('show a mail server\'s certificate (staff): the name its mail records point to, status, expiry, last error')
    .argument('<server>', 'server id or name')
    .option('--renew', 'obtain it again now')
    .action(async (ref: string, o: { renew?: boolean }) => {
      const api = client(program);
      const url = `/api/v1/servers/${seg(ref)}/mail-certificate`;
      show(program, o.renew ? await api.post<Item>(`${url}/renew`) : await api.get<Item>(url), o.renew ? `a new certificate for the mail server ${ref} is being obtained` : undefined);
    });

  cmd.command('platform').description('show the platform\'s wildcard certificate (staff)')
    .option('--renew', 'obtain it again now')
    .action(async (o: { renew?: boolean }) => {
      const api = client(program);
      show(program, o.renew ? await api.post<Item>(`${certificates.path}/platform/renew`) : await api.get<Item>(`${certificates.path}/platform`));
    });
}
