// Pure: the PowerDNS rrset changes that turn a zone's actual content into the desired one. The SOA
// serial is PowerDNS's (SOA-EDIT-API): it is ignored when comparing and kept when the SOA changes.
import type { PdnsRrset, PdnsRrsetChange } from './powerdns-api.js';
import type { Rrset } from './zone-content.js';

const key = (r: { name: string; type: string }) => `${r.name}/${r.type}`;
const soaWithoutSerial = (content: string) => content.split(/\s+/).filter((_, i) => i !== 2).join(' ');
export const withSerial = (content: string, serial: number) => content.split(/\s+/).map((f, i) => (i === 2 ? String(serial) : f)).join(' ');

/** PowerDNS's rrsets as Abri writes them: no final dot on names, contents sorted, disabled records dropped. */
export function fromPdns(rrsets: PdnsRrset[]): Rrset[] {
  return rrsets.map((r) => ({
    name: r.name.replace(/\.$/, '').toLowerCase(),
    type: r.type,
    ttl: r.ttl,
    records: r.records.filter((x) => !x.disabled).map((x) => x.content).sort(),
  }));
}

/** An rrset for PowerDNS's API; the SOA with `serial` (0: PowerDNS picks it). */
export const toPdns = (r: Rrset, serial = 0): PdnsRrset => ({
  name: `${r.name}.`, type: r.type, ttl: r.ttl, records: r.records.map((content) => ({ content: r.type === 'SOA' ? withSerial(content, serial) : content, disabled: false })),
});

function same(a: Rrset, b: Rrset): boolean {
  if (a.ttl !== b.ttl || a.records.length !== b.records.length) return false;
  if (a.type === 'SOA') return soaWithoutSerial(a.records[0] ?? '') === soaWithoutSerial(b.records[0] ?? '');
  return a.records.every((c, i) => c === b.records[i]);
}

/** REPLACE for every rrset that differs or is missing, DELETE for every rrset that should not be there. */
export function rrsetChanges(actual: Rrset[], desired: Rrset[], serial: number): PdnsRrsetChange[] {
  const have = new Map(actual.map((r) => [key(r), r]));
  const want = new Map(desired.map((r) => [key(r), r]));
  const changes: PdnsRrsetChange[] = [];
  for (const [k, d] of want) {
    const a = have.get(k);
    if (a && same(a, d)) continue;
    const records = d.type === 'SOA' ? d.records.map((c) => withSerial(c, serial)) : d.records;
    changes.push({ name: `${d.name}.`, type: d.type, changetype: 'REPLACE', ttl: d.ttl, records: records.map((content) => ({ content, disabled: false })) });
  }
  for (const [k, a] of have) if (!want.has(k)) changes.push({ name: `${a.name}.`, type: a.type, changetype: 'DELETE' });
  return changes;
}
