// HAProxy's runtime API (the admin stats socket): map updates without reload, and certificate
// transactions (new/set/commit ssl cert, add/del ssl crt-list) that swap certificates in place.
import net from 'node:net';

function send(socket: string, text: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let buf = '';
    const c = net.connect(socket, () => c.end(text));
    c.setTimeout(10_000, () => c.destroy(new Error('HAProxy runtime API timed out')));
    c.on('data', (d) => (buf += d));
    c.on('end', () => resolve(buf));
    c.on('error', reject);
  });
}

/** Sends commands, several per connection (`;`-separated); returns the answers. */
export async function runtimeApi(socket: string, commands: string[]): Promise<string> {
  let out = '';
  for (let i = 0; i < commands.length; i += 200) out += await send(socket, `${commands.slice(i, i + 200).join(';')}\n`);
  return out;
}

/** One command with a multi-line payload (`cmd <<` … empty line), alone on its connection. */
export const runtimePayload = (socket: string, command: string, payload: string) =>
  send(socket, `${command} <<\n${payload.replace(/\n+$/, '')}\n\n`);

const refused = /unknown|not found|error|denied|unable|can't|cannot|failed|no such/i;

/** Throws with HAProxy's answer when it refused a command. */
export function expectSuccess(what: string, answer: string, success: RegExp = /^/): string {
  if (refused.test(answer) || !success.test(answer)) throw new Error(`runtime API refused ${what}: ${answer.trim().slice(0, 500)}`);
  return answer;
}
