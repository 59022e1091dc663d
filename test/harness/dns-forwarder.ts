// A tiny DNS server for tests: answers chosen names with a CNAME (what a customer sets at a DNS host
// elsewhere, which Abri does not publish) and forwards every other question, as it is, to an
// upstream server (Abri's PowerDNS). UDP only; loopback only.
import dgram from 'node:dgram';

export interface DnsForwarder {
  address: string;
  port: number;
  /** answers `name` (any type) with a CNAME to `target` from now on */
  cname(name: string, target: string): void;
  stop(): Promise<void>;
}

/** The question's name (lower-case, no final dot) and where the question section ends. */
function question(msg: Buffer): { name: string; end: number } | null {
  let i = 12;
  const labels: string[] = [];
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) return msg.length >= i + 5 ? { name: labels.join('.').toLowerCase(), end: i + 5 } : null;
    if (len > 63) return null;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += len + 1;
  }
  return null;
}

const encodeName = (name: string) => Buffer.concat([...name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);

function cnameAnswer(query: Buffer, end: number, target: string): Buffer {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100), 2); // response, authoritative, RD copied
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 6);
  const rdata = encodeName(target);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // the question's name
  rr.writeUInt16BE(5, 2); // CNAME
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, query.subarray(12, end), rr, rdata]);
}

export async function startDnsForwarder(opts: { address: string; upstream: { address: string; port: number } }): Promise<DnsForwarder> {
  const overrides = new Map<string, string>();
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, from) => {
    const q = question(msg);
    const target = q ? overrides.get(q.name) : undefined;
    if (q && target) {
      server.send(cnameAnswer(msg, q.end, target), from.port, from.address);
      return;
    }
    const up = dgram.createSocket('udp4');
    const timer = setTimeout(() => up.close(), 5000);
    up.on('message', (reply) => {
      clearTimeout(timer);
      server.send(reply, from.port, from.address);
      up.close();
    });
    up.on('error', () => {
      // the asking resolver then sees no answer (a timeout), as from a broken upstream
      clearTimeout(timer);
      up.close();
    });
    up.send(msg, opts.upstream.port, opts.upstream.address);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.bind(0, opts.address, () => resolve());
  });
  return {
    address: opts.address,
    port: server.address().port,
    cname: (name, target) => void overrides.set(name.toLowerCase(), target.replace(/\.$/, '')),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
