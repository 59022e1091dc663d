// English: SSH shell access of SFTP users (the hosting's jail) — the errors the API gives.
// and the shell's place in the SFTP tab.
export const enShell = {
  'error.sftp_user.shell_not_allowed': 'This hosting’s offer does not allow SSH: its users are SFTP only.',
  'error.sftp_user.shell_not_allowed.offer': 'The offer “{offer}” does not allow SSH: its users are SFTP only.',
  'error.sftp_user.shell_folder': 'A user with a shell sees the whole hosting: remove its restriction folder first.',
  'sftp.withShell': 'An SSH shell',
  'sftp.withShellHint': 'A shell in the hosting’s jail (PHP, mysql, git, rsync, Composer) that sees the whole hosting: leave the folder empty.',
  'sftp.hasShell': 'SSH shell',
};
