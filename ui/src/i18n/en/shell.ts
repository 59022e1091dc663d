// English: SSH shell access of SFTP users (the hosting's jail) — the errors the API gives.
// (The shell toggle comes with the SFTP tab.)
export const enShell = {
  'error.sftp_user.shell_not_allowed': 'This hosting’s offer does not allow SSH: its users are SFTP only.',
  'error.sftp_user.shell_not_allowed.offer': 'The offer “{offer}” does not allow SSH: its users are SFTP only.',
  'error.sftp_user.shell_folder': 'A user with a shell sees the whole hosting: remove its restriction folder first.',
};
