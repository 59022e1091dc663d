// Français : les restaurations depuis les sauvegardes externes (onglet Sauvegardes d'un hébergement), les vérifications des dépôts, et leurs erreurs.
import type { Message } from '../catalog.js';
import type { enBackupRestore } from '../en/backup-restore.js';

export const frBackupRestore: Record<keyof typeof enBackupRestore, Message> = {
  'backupRestore.title': 'Restaurer depuis une sauvegarde',
  'backupRestore.explained': 'Récupérez un fichier ou un dossier entier tel qu’il était dans une sauvegarde. Choisissez une sauvegarde, ouvrez ses dossiers, choisissez quoi restaurer. Par défaut, il est copié dans un nouveau dossier restored-<date> du dossier personnel, en gardant son chemin ; sur place, il remplace l’actuel après un instantané du dossier personnel (type « Avant une restauration ») qui permet de l’annuler.',
  'backupRestore.backup': 'Sauvegarde',
  'backupRestore.browse': 'Dossier',
  'backupRestore.up': 'Dossier parent',
  'backupRestore.name': 'Nom',
  'backupRestore.modified': 'Modifié',
  'backupRestore.pick': 'Choisir',
  'backupRestore.pickNamed': 'Choisir {name}',
  'backupRestore.picked': 'À restaurer :',
  'backupRestore.pickOne': 'Choisissez un fichier ou un dossier ci-dessus.',
  'backupRestore.emptyFolder': 'Ce dossier est vide dans cette sauvegarde.',
  'backupRestore.asked': 'Restauration demandée : le serveur web la fait dans quelques instants ; son état est dans la liste ci-dessous.',
  'backupRestore.whole': 'Restaurer tout l’hébergement',
  'backupRestore.wholeTitle': 'Restaurer tous les fichiers de {name} depuis cette sauvegarde ?',
  'backupRestore.wholeExplained': 'Équipe : tous les fichiers de l’hébergement (var/www) sont remplacés par ceux de la sauvegarde, sur place. Un instantané du dossier personnel est pris avant, qui permet d’annuler.',
  'backups.check': 'Vérification des données',
  'backups.checkState.ok': 'Dernière vérification bonne',
  'backups.checkState.failed': 'Dernière vérification en échec',
  'backups.checkState.never': 'Pas encore vérifié',
  'jobKind.backups.check': 'Vérification hebdomadaire des dépôts de sauvegarde',
  'error.backup.bad_path': 'Ce chemin ne peut pas être restauré : indiquez un fichier ou un dossier du dossier personnel, par ex. var/www/site (pas le dossier personnel lui-même, ni backups/, sans « .. »).',
  'error.backup.not_found': 'Cet hébergement n’a pas de sauvegarde avec cet identifiant.',
  'error.backup.path_not_found': 'Ce dossier n’est pas dans la sauvegarde.',
  'error.snapshot.restore_no_backup': 'Cette sauvegarde n’est pas (ou plus) parmi les sauvegardes de l’hébergement.',
};
