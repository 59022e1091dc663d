// The login shell of an SFTP user with shell access (pure): a root-owned sh script that enters the
// hosting's jail (src/jail) and runs there what the session asked for. It is the account's login
// shell, so every way in ends in the jail: Abri's sshd (whose Match block also forces it, so even
// the sftp subsystem runs inside, as sftp-server), or any other service of the machine that would
// start the account's shell. It runs as the hosting's uid; bubblewrap is not setuid.
//
//   Abri's sshd runs `<script> -c <script>` (ForceCommand) with SSH_ORIGINAL_COMMAND: the client's
//   command, "internal-sftp …" for the sftp subsystem, unset for an interactive session;
//   another service runs `<script> -c <command>` or `<script>` (a login).
// Every way in starts bubblewrap through prlimit, so the jail's setrlimit limits (src/jail/render-limits.ts:
// CPU time, file size, open files, address space, the uid's processes) hold for the whole session.
import { bwrapArgs, shQuote, type JailSpec } from '../jail/render-bwrap.js';
import { defaultJailLimits, PRLIMIT, prlimitArgs, type JailLimits } from '../jail/render-limits.js';

export interface ShellScriptSpec {
  /** the SFTP user (a comment only) */
  user: string;
  /** the script's own path (how it recognises sshd's ForceCommand) */
  self: string;
  jail: Omit<JailSpec, 'seccompFd'>;
  /** the seccomp filter's file, or null when this machine has none */
  seccompFile: string | null;
  bwrap: string;
  sftpServer: string;
  /** default: defaultJailLimits */
  limits?: JailLimits;
}

/** The descriptor the script hands the filter on (dash takes single-digit descriptors only). */
const SECCOMP_FD = 9;

export function renderShellScript(s: ShellScriptSpec): string {
  const args = bwrapArgs({ ...s.jail, seccompFd: s.seccompFile ? SECCOMP_FD : null });
  for (const p of [s.self, s.bwrap, s.sftpServer, ...(s.seccompFile ? [s.seccompFile] : [])]) {
    if (!/^\/[A-Za-z0-9._/-]+$/.test(p)) throw new Error(`${JSON.stringify(p)} cannot be written into a jail script`);
  }
  const fd = s.seccompFile ? ` ${SECCOMP_FD}<${s.seccompFile}` : '';
  const jail = `${PRLIMIT} ${prlimitArgs(s.limits ?? defaultJailLimits).join(' ')} -- ${s.bwrap}`;
  const wrap = (words: string[], per = 6) =>
    words.reduce<string[]>((lines, w, i) => (i % per ? (lines[lines.length - 1] += ` ${shQuote(w)}`) : lines.push(`  ${shQuote(w)}`), lines), []).join(' \\\n');
  return [
    '#!/bin/sh',
    `# Abri: the jailed shell of ${s.user} (hosting ${s.jail.hosting}); rendered by the agent, do not edit`,
    'umask 022',
    'cmd=',
    'if [ -n "${SSH_ORIGINAL_COMMAND-}" ]; then cmd=$SSH_ORIGINAL_COMMAND',
    `elif [ "\${1-}" = -c ] && [ "\${2-}" != ${s.self} ]; then cmd=\${2-}`,
    'fi',
    'set -- \\',
    `${wrap(args)} \\`,
    '  --setenv TERM "${TERM:-dumb}"',
    'case $cmd in',
    `  '') exec ${jail} "$@" -- /bin/bash -l${fd} ;;`,
    `  internal-sftp|'internal-sftp '*|${s.sftpServer}|'${s.sftpServer} '*) exec ${jail} "$@" -- ${s.sftpServer} -u 0022${fd} ;;`,
    `  *) exec ${jail} "$@" -- /bin/bash -c "$cmd"${fd} ;;`,
    'esac',
    '',
  ].join('\n');
}
