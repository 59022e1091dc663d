// `abri zone …` and `abri record …`: DNS zones the platform publishes (or that live elsewhere) and
// their records; `abri zone claim|verify|claims` to prove a domain. Names are shown as people read them.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { recordTypes } from '../dns/records.js';
import { addRemove, addShow, bodyFrom, changes, client, customerId, listQuery, oneOf, printList, seg, show, whole, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print, printTable } from './output.js';

const zones: Resource = {
  noun: 'zone',
  path: '/api/v1/zones',
  ref: 'id or name',
  columns: ['name', 'dns', 'edgeRecords', 'state', 'updatedAt'],
  sorts: 'name, dns, createdAt, updatedAt',
  row: (z) => ({ ...z, name: z.nameUnicode, state: (z.provisioning as Item).status }),
  label: (z) => String(z.nameUnicode ?? z.name),
};

const records = (zone: string): Resource => ({
  noun: 'record',
  path: `/api/v1/zones/${seg(zone)}/records`,
  ref: 'id',
  columns: ['id', 'relativeName', 'type', 'ttl', 'content', 'managed'],
  sorts: 'name, type, content, ttl',
  row: (r) => ({ ...r, id: r.id ?? '(platform)', relativeName: r.relativeNameUnicode ?? r.relativeName, content: r.contentUnicode ?? r.content }),
  label: (r) => `${r.nameUnicode ?? r.name} ${r.type}`,
});

const claims: Resource = {
  noun: 'claim',
  path: '/api/v1/zone-claims',
  ref: 'id',
  columns: ['id', 'name', 'status', 'method', 'txtName', 'txtValue', 'createdAt'],
  sorts: 'createdAt, name, status',
  row: (c) => ({ ...c, name: c.nameUnicode, txtName: c.txtNameUnicode }),
  label: (c) => String(c.nameUnicode ?? c.name),
};

/** What to publish to prove a domain, in words. */
const howToProve = (c: Item) =>
  `to prove ${c.nameUnicode}, publish at its DNS host:\n  ${c.txtNameUnicode}  TXT  "${c.txtValue}"\n` +
  `then run: abri zone verify ${c.id}\n` +
  `(or, if no other customer holds the zone, point the domain's NS at ${(c.nameservers as string[]).join(', ')})`;

export function registerDnsCommands(program: Command) {
  const zone = program.command('zone').description(about.zone);

  withListOptions(zone.command('list').description('list zones'), zones.sorts)
    .option('--customer <ref>', 'only this customer\'s zones (id or number)')
    .action(async (o: ListOptions & { customer?: string }) => {
      const api = client(program);
      const query = { ...listQuery(o), ...(o.customer ? { customerId: await customerId(api, o.customer) } : {}) };
      printList(program, zones, await api.get<Page>(zones.path, query));
    });

  zone.command('add').description('add the zone of a registered domain (sites add theirs by themselves)')
    .argument('<domain>', 'registered domain, e.g. example.org')
    .option('--customer <ref>', 'customer id or number (staff)')
    .option('--external', 'the domain\'s DNS is hosted elsewhere: the platform only says which records to set there')
    .option('--no-edge-records', 'do not publish A/AAAA records of the edge at the apex and www')
    .action(async (domain: string, o: { customer?: string; external?: boolean; edgeRecords: boolean }) => {
      const z = await client(program).post<Item>(zones.path, {
        name: domain, ...(o.customer ? { customerId: o.customer } : {}), dns: o.external ? 'external' : 'managed', edgeRecords: o.edgeRecords,
      });
      show(program, z, `zone ${zones.label(z)} added`);
    });

  addShow(program, zone, zones);

  zone.command('edit').description('change how a zone is published')
    .argument('<ref>', `zone ${zones.ref}`)
    .option('--managed', 'published by the platform\'s name servers')
    .option('--external', 'hosted elsewhere')
    .option('--edge-records', 'publish A/AAAA records of the edge at the apex and www')
    .option('--no-edge-records', 'do not publish them (set your own)')
    .action(async (ref: string, o: { managed?: boolean; external?: boolean; edgeRecords?: boolean }) => {
      const body: Item = {};
      if (o.managed || o.external) body.dns = o.external ? 'external' : 'managed';
      if (o.edgeRecords !== undefined) body.edgeRecords = o.edgeRecords;
      const z = await client(program).patch<Item>(`${zones.path}/${seg(ref)}`, changes(body, 'zone edit'));
      show(program, z, `zone ${zones.label(z)} changed`);
    });

  zone.command('check').description('ask the DNS now: what the name servers answer, or (external) whether the records to set are set')
    .argument('<ref>', `zone ${zones.ref}`)
    .action(async (ref: string) => {
      const c = await client(program).get<Item & { nameservers: Item[]; required: Item[] }>(`${zones.path}/${seg(ref)}/check`);
      const rows = c.dns === 'managed'
        ? { columns: ['server', 'role', 'serial', 'ok', 'message'], items: c.nameservers }
        : { columns: ['name', 'type', 'content', 'found', 'ok'], items: c.required };
      if (program.opts().json) return print(program, c, '');
      printTable(program, { items: rows.items, total: rows.items.length, nextCursor: null }, rows.columns);
      const advice = c.ok ? 'all good'
        : c.dns === 'external' ? 'set the records above at the domain\'s DNS host'
          : c.nameservers.length ? 'some name servers do not answer the zone yet' : 'no DNS server publishes the zone: give a server the dns role (abri server edit NAME --role …,dns)';
      process.stdout.write(`${advice}\n`);
    });

  addRemove(program, zone, zones, 'remove a zone no site uses (its records are lost)');

  zone.command('claim').description('claim a domain: prints the TXT record that proves it is yours (proven, its zone is yours, even if another customer holds it unproven)')
    .argument('<domain>', 'registered domain, e.g. example.org')
    .option('--customer <ref>', 'customer id or number (staff)')
    .option('--external', 'once proven, the domain\'s DNS stays hosted elsewhere')
    .action(async (domain: string, o: { customer?: string; external?: boolean }) => {
      const c = await client(program).post<Item>(claims.path, { name: domain, ...(o.customer ? { customerId: o.customer } : {}), dns: o.external ? 'external' : 'managed' });
      show(program, c, howToProve(c));
    });

  zone.command('verify').description('ask the DNS for the proof of a claim now; proven, the zone is yours')
    .argument('<claim>', 'claim id (see abri zone claims)')
    .action(async (id: string) => {
      const c = await client(program).post<Item>(`${claims.path}/${seg(id)}/verify`);
      show(program, c, `${claims.label(c)} proven (${c.method === 'txt' ? 'TXT record' : 'name servers'}): its zone is yours`);
    });

  withListOptions(zone.command('claims').description('list claims of domains'), claims.sorts)
    .option('--customer <ref>', 'only this customer\'s claims (id or number)')
    .action(async (o: ListOptions & { customer?: string }) => {
      const api = client(program);
      const query = { ...listQuery(o), ...(o.customer ? { customerId: await customerId(api, o.customer) } : {}) };
      printList(program, claims, await api.get<Page>(claims.path, query));
    });

  const record = program.command('record').description(about.record);
  const zoneOption = (c: Command) => c.requiredOption('--zone <ref>', 'zone id or name');

  withListOptions(zoneOption(record.command('list').description('list a zone\'s records')), records('').sorts)
    .action(async (o: ListOptions & { zone: string }) => {
      const r = records(o.zone);
      printList(program, r, await client(program).get<Page>(r.path, listQuery(o)));
    });

  zoneOption(record.command('add').description('add a record'))
    .argument('<name>', '"@" for the zone itself, a relative name (www, _dmarc) or a full name')
    .argument('<type>', recordTypes.join(', '), oneOf(recordTypes))
    .argument('<content>', 'e.g. 192.0.2.1, "10 mx.example.net", "v=spf1 mx -all", "0 issue letsencrypt.org"')
    .option('--ttl <seconds>', 'time to live (60 to 604800)', whole)
    .action(async (name: string, type: string, content: string, o: { zone: string; ttl?: number }) => {
      const r = await client(program).post<Item>(records(o.zone).path, { name, type, content, ...(o.ttl ? { ttl: o.ttl } : {}) });
      show(program, r, `record ${records(o.zone).label(r)} added (id ${r.id})`);
    });

  zoneOption(record.command('show').description('show a record')).argument('<id>', 'record id')
    .action(async (id: string, o: { zone: string }) => show(program, await client(program).get(`${records(o.zone).path}/${seg(id)}`)));

  zoneOption(record.command('edit').description('change a record')).argument('<id>', 'record id')
    .option('--name <name>', 'new name')
    .option('--type <type>', recordTypes.join(', '), oneOf(recordTypes))
    .option('--content <content>', 'new content')
    .option('--ttl <seconds>', 'new time to live', whole)
    .action(async (id: string, o: Item & { zone: string }) => {
      const r = await client(program).patch<Item>(`${records(o.zone).path}/${seg(id)}`, changes(bodyFrom(o, { name: 'name', type: 'type', content: 'content', ttl: 'ttl' }), 'record edit'));
      show(program, r, `record ${records(o.zone).label(r)} changed`);
    });

  zoneOption(record.command('remove').description('remove a record')).argument('<id>', 'record id')
    .action(async (id: string, o: { zone: string }) => {
      const api = client(program);
      const r = await api.get<Item>(`${records(o.zone).path}/${seg(id)}`);
      await api.delete(`${records(o.zone).path}/${seg(id)}`);
      print(program, { removed: true, id }, `record ${records(o.zone).label(r)} removed`);
    });
}
