// `abri login`: logs in through the API (email, password, and the TOTP code when the account has
// two-factor authentication) and saves the API token it gets where the other commands read it, so
// the CLI works while the manager runs (unlike `abri token create`, which opens the database).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { loadConfig } from '../platform/config.js';
import { ApiClient, CliError, saveToken } from './api-client.js';
import { readStdin } from './commands-local.js';
import { print } from './output.js';

interface LoginOptions { email?: string; passwordStdin?: boolean; totp?: string; name: string }

const tty = () => !!process.stdin.isTTY && !!process.stderr.isTTY;

/** Asks one line on the terminal; `hidden` does not echo what is typed (passwords). */
function ask(question: string, hidden: boolean): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve, reject) => {
    stderr.write(question);
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      stderr.write('\n');
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(answer));
        if (ch === '\u0003' || ch === '\u0004') return done(() => reject(new CliError('cancelled')));
        if (ch === '\u007f' || ch === '\b') {
          if (answer.length && !hidden) stderr.write('\b \b');
          answer = answer.slice(0, -1);
        } else if (ch >= ' ') {
          answer += ch;
          if (!hidden) stderr.write(ch);
        }
      }
    };
    stdin.on('data', onData);
  });
}

interface TokenAnswer { token: string; name: string; user: { email: string; role: string } }

export function registerLoginCommand(program: Command) {
  const cmd = program
    .command('login')
    .description(about.login)
    .option('--email <email>', 'your email (asked when omitted, on a terminal)')
    .option('--password-stdin', 'read the password from standard input (default: asked on the terminal, not echoed)')
    .option('--totp <code>', 'the 6-digit code of your authenticator app (asked when needed, on a terminal)')
    .option('--name <name>', 'a name to recognise the token by in your token list', 'cli')
    .addHelpText('after', '\nThe token is saved, readable by you only, where abri reads tokens (XDG_CONFIG_HOME/abri/token).');
  cmd.action(async (o: LoginOptions) => {
    if (o.totp !== undefined && !/^\d{6}$/.test(o.totp)) cmd.error('--totp must be the 6-digit code of your authenticator app', { exitCode: 2 });
    if (!o.email && !tty()) cmd.error('give --email (no terminal to ask it on)', { exitCode: 2 });
    if (!o.passwordStdin && !tty()) cmd.error('give the password on standard input with --password-stdin (no terminal to ask it on)', { exitCode: 2 });
    const email = (o.email ?? (await ask('Email: ', false))).trim();
    if (!email) cmd.error('an email is needed', { exitCode: 2 });
    const password = o.passwordStdin ? await readStdin() : await ask('Password: ', true);
    const api = ApiClient.anonymous(loadConfig(), program.opts());
    const request = (totp?: string) => api.post<TokenAnswer>('/api/v1/auth/token', { email, password, name: o.name, ...(totp ? { totp } : {}) });
    let answer: TokenAnswer;
    try {
      answer = await request(o.totp);
    } catch (e) {
      if (!(e instanceof CliError) || e.code !== 'auth.totp_required') throw e;
      if (!tty() || o.passwordStdin) throw new CliError('this account uses two-factor authentication: give the code with --totp (auth.totp_required)', 'auth.totp_required');
      answer = await request((await ask('Authenticator code: ', false)).trim());
    }
    const file = saveToken(answer.token);
    print(program, { email: answer.user.email, role: answer.user.role, tokenName: answer.name, tokenFile: file }, `logged in as ${answer.user.email}; API token "${answer.name}" saved in ${file}`);
  });
}
