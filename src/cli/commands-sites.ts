// `abri site …`: the websites (domain, aliases, document root, PHP, HTTPS) of a hosting.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { registerSitePhpCommand } from './commands-site-php.js';
import { registerSiteLogsCommand } from './commands-site-logs.js';
import { addRemove, addShow, bodyFrom, changes, client, commaList, listQuery, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const sites: Resource = {
  noun: 'site',
  path: '/api/v1/sites',
  ref: 'id or domain',
  columns: ['domain', 'aliases', 'documentRoot', 'phpVersion', 'httpsMode', 'status'],
  sorts: 'domain, createdAt, updatedAt, phpVersion, httpsMode, status, documentRoot',
  row: (s) => ({ ...s, domain: s.domainUnicode, aliases: s.aliasesUnicode }),
  label: (s) => String(s.domainUnicode ?? s.domain),
};

const httpsModes = ['http-only', 'both', 'https-only', 'redirect'] as const;
const statuses = ['active', 'disabled'] as const;
const fields = { alias: 'aliases', root: 'documentRoot', php: 'phpVersion', https: 'httpsMode', status: 'status', platform: 'platformSubdomain' };

/** Options shared by `site add` and `site edit`. */
function siteOptions(cmd: Command, add: boolean): Command {
  return cmd
    .option('--alias <domain>', add ? 'another domain served by the site (repeatable)' : 'replace the aliases with these (repeatable)', commaList)
    .option('--root <dir>', `document root, relative to the hosting's var/www/${add ? ' (default: the domain)' : ''}`)
    .option('--php <version>', `PHP version${add ? ' (default: the hosting\'s)' : ''}`)
    .option('--https <mode>', `${httpsModes.join(', ')}${add ? ' (default: both when the offer includes HTTPS)' : ''}`, oneOf(httpsModes))
    .option('--status <status>', `${statuses.join(', ')}${add ? ' (default active)' : ''}`, oneOf(statuses))
    .option('--platform <label>', 'also serve the site at <label>.<platform domain>');
}

export function registerSiteCommands(program: Command) {
  const cmd = program.command('site').description(about.site);

  withListOptions(cmd.command('list').description('list the sites of a hosting'), sites.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => {
      printList(program, sites, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/sites`, listQuery(o)));
    });

  siteOptions(cmd.command('add').description('add a site to a hosting'), true)
    .argument('<domain>', 'the site\'s domain (international names are fine)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .option('--external-dns', 'the domain\'s DNS is hosted elsewhere (a new zone is marked external)')
    .action(async (domain: string, o: Item & { hosting: string; externalDns?: boolean }) => {
      const s = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/sites`, { domain, ...bodyFrom(o, fields), ...(o.externalDns ? { dns: 'external' } : {}) });
      show(program, s, `site ${sites.label(s)} added to hosting ${s.hostingName}`);
    });

  addShow(program, cmd, sites);

  siteOptions(cmd.command('edit').description('change a site'), false)
    .argument('<ref>', `site ${sites.ref}`)
    .option('--domain <domain>', 'new main domain')
    .option('--add-alias <domain>', 'add aliases (repeatable)', commaList)
    .option('--remove-alias <domain>', 'remove aliases (repeatable)', commaList)
    .option('--no-platform', 'drop the site\'s <label>.<platform domain> name')
    .action(async (ref: string, o: Item & { addAlias?: string[]; removeAlias?: string[] }) => {
      const api = client(program);
      const body = bodyFrom(o, { ...fields, domain: 'domain' });
      if (o.platform === false) body.platformSubdomain = null;
      if (o.addAlias || o.removeAlias) {
        const site = await api.get<Item>(`${sites.path}/${seg(ref)}`);
        const ascii = site.aliases as string[];
        const unicode = new Map(ascii.map((a, i) => [a, (site.aliasesUnicode as string[])[i]]));
        const removed = new Set((o.removeAlias ?? []).map((a) => a.toLowerCase()));
        const current = (body.aliases as string[] | undefined) ?? ascii;
        body.aliases = [...new Set([...current, ...(o.addAlias ?? [])])]
          .filter((a) => !removed.has(a.toLowerCase()) && !removed.has((unicode.get(a) ?? '').toLowerCase()));
      }
      const s = await api.patch<Item>(`${sites.path}/${seg(ref)}`, changes(body, 'site edit'));
      show(program, s, `site ${sites.label(s)} changed`);
    });

  addRemove(program, cmd, sites, 'remove a site (its files stay in the hosting)');
  registerSitePhpCommand(program, cmd);
  registerSiteLogsCommand(program, cmd);
}
