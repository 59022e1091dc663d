// Pure: DNS NOTIFY messages (RFC 1996) that tell a secondary a zone changed, and the reading of the
// secondary's answer. The agent sends them itself after a bulk change (see apply-notify.ts).
import { renderError } from '../platform/render.js';
import { checkZoneName } from './render-checks.js';

const OPCODE_NOTIFY = 4;
const TYPE_SOA = 6;
const CLASS_IN = 1;

/** The NOTIFY for `zone` (one question: zone SOA IN; AA set), with message id `id`. */
export function notifyMessage(zone: string, id: number): Buffer {
  checkZoneName('zone', zone);
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw renderError('DNS message id', id, 'must be a whole number from 0 to 65535');
  const labels = zone.split('.').map((l) => {
    const b = Buffer.from(l, 'ascii');
    if (b.length < 1 || b.length > 63 || !/^[a-z0-9_-]+$/i.test(l)) throw renderError('zone label', l, 'must be 1 to 63 letters, digits, - or _');
    return Buffer.concat([Buffer.from([b.length]), b]);
  });
  const name = Buffer.concat([...labels, Buffer.from([0])]);
  if (name.length > 255) throw renderError('zone', zone, 'is longer than 255 bytes on the wire');
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE((OPCODE_NOTIFY << 11) | 0x0400, 2); // opcode NOTIFY, authoritative answer
  header.writeUInt16BE(1, 4); // one question
  const question = Buffer.alloc(4);
  question.writeUInt16BE(TYPE_SOA, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, name, question]);
}

export interface NotifyAnswer {
  id: number;
  /** the zone of the question, lower case, without the final dot */
  zone: string;
  /** 0: acknowledged; otherwise the secondary's error (5: refused, 9: not authoritative…) */
  rcode: number;
}

/** A secondary's answer to a NOTIFY, or null when the message is anything else (or malformed). */
export function readNotifyAnswer(msg: Buffer): NotifyAnswer | null {
  if (msg.length < 12) return null;
  const flags = msg.readUInt16BE(2);
  if (!(flags & 0x8000) || ((flags >> 11) & 0xf) !== OPCODE_NOTIFY || msg.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    if (at >= msg.length) return null;
    const len = msg[at]!;
    if (len === 0) break;
    // the question is the first name of the message: nothing before it to point to
    if (len > 63 || at + 1 + len > msg.length) return null;
    labels.push(msg.toString('ascii', at + 1, at + 1 + len).toLowerCase());
    at += 1 + len;
  }
  if (at + 5 > msg.length) return null;
  return { id: msg.readUInt16BE(0), zone: labels.join('.'), rcode: flags & 0xf };
}
