// For a zone whose DNS is elsewhere: how check.ts asks the DNS for the records its mail domains need
// (mail-records.ts), and whether the answer holds them.
import type { Resolver } from 'node:dns/promises';

/** What the DNS answers for (name, type), in the form mailRecordsToSet gives. */
export function mailLookup(resolver: Resolver, name: string, type: string): Promise<string[]> {
  switch (type) {
    case 'MX': return resolver.resolveMx(name).then((rs) => rs.map((r) => `${r.priority} ${r.exchange.toLowerCase()}.`));
    case 'TXT': return resolver.resolveTxt(name).then((rs) => rs.map((r) => r.join('')));
    case 'SRV': return resolver.resolveSrv(name).then((rs) => rs.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name.toLowerCase()}.`));
    case 'CNAME': return resolver.resolveCname(name).then((rs) => rs.map((r) => `${r.toLowerCase()}.`));
    default: return Promise.resolve([]);
  }
}

/** Whether what the DNS answers holds the record (a domain has one SPF: the one found must be Abri's). */
export const mailRecordOk = (r: { type: string; content: string }, found: string[]) =>
  r.type === 'TXT' && r.content.startsWith('v=spf1') ? found.filter((f) => f.startsWith('v=spf1')).join() === r.content : found.includes(r.content);
