// Français : accès shell SSH des utilisateurs SFTP (la prison de l’hébergement) — les erreurs de l’API.
// et la place du shell dans l’onglet SFTP.
import type { enShell } from '../en/shell.js';
import type { Message } from '../catalog.js';

export const frShell: Record<keyof typeof enShell, Message> = {
  'error.sftp_user.shell_not_allowed': 'L’offre de cet hébergement n’autorise pas SSH : ses utilisateurs sont en SFTP seulement.',
  'error.sftp_user.shell_not_allowed.offer': 'L’offre « {offer} » n’autorise pas SSH : ses utilisateurs sont en SFTP seulement.',
  'error.sftp_user.shell_folder': 'Un utilisateur avec un shell voit tout l’hébergement : retirez d’abord son dossier de restriction.',
  'sftp.withShell': 'Un shell SSH',
  'sftp.withShellHint': 'Un shell dans la prison de l’hébergement (PHP, mysql, git, rsync, Composer) qui voit tout l’hébergement : laissez le dossier vide.',
  'sftp.hasShell': 'shell SSH',
};
