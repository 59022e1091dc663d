// Français : les utilisateurs SFTP d'un hébergement — les erreurs de l'API et ce qu'en dit un serveur web.
import type { enFiles } from '../en/files.js';
import type { Message } from '../catalog.js';

export const frFiles: Record<keyof typeof enFiles, Message> = {
  'error.sftp_user.not_found': 'Cet utilisateur SFTP n’existe pas.',
  'error.sftp_user.forbidden': 'Vous ne pouvez pas modifier les utilisateurs SFTP de cet hébergement.',
  'error.sftp_user.name_taken': 'Cet hébergement a déjà un utilisateur SFTP de ce nom.',
  'error.sftp_user.name_taken.name': 'Il existe déjà un utilisateur SFTP nommé {name}.',
  'error.sftp_user.name_too_long': 'Ce nom est trop long pour un utilisateur SFTP.',
  'error.sftp_user.name_too_long.max': {
    n: 'max',
    one: 'Trop long : dans cet hébergement, donnez au plus {max} caractère.',
    other: 'Trop long : dans cet hébergement, donnez au plus {max} caractères.',
  },
  'error.sftp_user.folder_invalid':
    'Ce dossier ne peut pas être donné : il doit être dans l’hébergement (var/www ou en dessous, ou tout l’hébergement), sans « .. ».',
  'error.sftp_user.no_login': 'Donnez un mot de passe ou au moins une clé publique : sinon l’utilisateur ne pourrait pas se connecter.',
  'error.sftp_user.no_server': 'Cet hébergement n’est encore sur aucun serveur web : ses utilisateurs SFTP n’auraient nulle part où se connecter.',
  'error.sftp_key.invalid': 'Ce n’est pas une clé publique acceptée par la plateforme (ed25519, ECDSA, ou RSA d’au moins 2048 bits).',
  'error.sftp_key.taken': 'Cet utilisateur a déjà cette clé.',
  'error.sftp_key.taken.fingerprint': 'Cet utilisateur a déjà la clé {fingerprint}.',
  'error.sftp_key.not_found': 'Cet utilisateur n’a pas cette clé.',
  'error.quota.sftp_users_exceeded': 'Cet hébergement a atteint le nombre d’utilisateurs de transfert de fichiers permis par son offre.',
  'error.quota.sftp_users_exceeded.max': {
    n: 'max',
    one: 'L’offre « {offer} » permet {max} utilisateur de transfert de fichiers par hébergement.',
    other: 'L’offre « {offer} » permet {max} utilisateurs de transfert de fichiers par hébergement.',
  },
  'error.quota.sftp_keys_exceeded': 'Cet utilisateur a déjà autant de clés publiques que permis.',
  'error.quota.sftp_keys_exceeded.max': {
    n: 'max',
    one: 'Un utilisateur a au plus {max} clé publique.',
    other: 'Un utilisateur a au plus {max} clés publiques.',
  },

  'report.sftp.account_not_ours':
    'Un compte système de ce nom existe déjà sur le serveur web et n’a pas été créé par Abri pour cet utilisateur : rien n’a été touché. L’équipe de la plateforme doit s’en occuper.',
  'report.sftp.hosting_not_ready': 'L’hébergement n’est pas encore installé sur son serveur web : cet utilisateur sera ajouté dès qu’il le sera.',
  'report.sftp.folder_unsafe':
    'Le dossier de cet utilisateur est un lien ou mène hors de l’hébergement : il ne peut pas se connecter tant que ce n’est pas de nouveau un vrai dossier.',
  'report.sftp.folder_unsafe.folder':
    'Le dossier {folder} est un lien ou mène hors de l’hébergement : l’utilisateur ne peut pas se connecter tant que ce n’est pas de nouveau un vrai dossier.',
  'report.sftp.refused': 'Le serveur web a refusé cet utilisateur SFTP.',
  'report.sftp.refused.detail': 'Le serveur web a refusé cet utilisateur SFTP : {detail}',
};
