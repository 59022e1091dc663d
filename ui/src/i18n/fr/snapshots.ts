// Français : l’onglet Instantanés d’un hébergement, le calendrier des instantanés de l’offre, et leurs erreurs.
import type { enSnapshots } from '../en/snapshots.js';
import type { Message } from '../catalog.js';

export const frSnapshots: Record<keyof typeof enSnapshots, Message> = {
  'hostingTab.snapshots': 'Instantanés',
  'snapshots.title': 'Instantanés',
  'snapshots.refresh': 'Actualiser',
  'snapshots.explained': 'Des copies en lecture seule de tout le dossier personnel, prises par son serveur web. Vous les trouvez dans son dossier backups, en SFTP, FTP ou SSH (latest-hourly, latest-daily… mènent à la plus récente de chaque sorte) : recopiez ce dont vous avez besoin. Elles ne peuvent être ni modifiées ni supprimées, et ne comptent pas dans le quota disque. Heures en UTC.',
  'snapshots.unavailable': 'Pas d’instantanés : le dossier personnel de cet hébergement n’est pas, sur son serveur web, sur un système de fichiers qui sait les prendre (btrfs).',
  'snapshots.kept.hourly': { zero: 'Pas d’instantanés horaires.', one: 'Le dernier instantané horaire est gardé (pris toutes les heures).', other: 'Les {count} derniers instantanés horaires sont gardés (pris toutes les heures).' },
  'snapshots.kept.daily': { zero: 'Pas d’instantanés quotidiens.', one: 'Le dernier instantané quotidien est gardé (pris à 05:00).', other: 'Les {count} derniers instantanés quotidiens sont gardés (pris à 05:00).' },
  'snapshots.kept.weekly': { zero: 'Pas d’instantanés hebdomadaires.', one: 'Le dernier instantané hebdomadaire est gardé (pris le dimanche à 07:00).', other: 'Les {count} derniers instantanés hebdomadaires sont gardés (pris le dimanche à 07:00).' },
  'snapshots.kept.monthly': { zero: 'Pas d’instantanés mensuels.', one: 'Le dernier instantané mensuel est gardé (pris le 1er à 08:00).', other: 'Les {count} derniers instantanés mensuels sont gardés (pris le 1er à 08:00).' },
  'snapshots.space': 'Place prise par les instantanés en plus du dossier personnel : {size}.',
  'snapshots.none': 'Pas encore d’instantané : le premier est pris à la prochaine heure du calendrier.',
  'snapshots.folder': 'Dossier',
  'snapshots.kind': 'Sorte',
  'snapshots.takenAt': 'Pris le',
  'snapshots.exclusive': 'Place propre',
  'snapshots.kind.hourly': 'Horaire',
  'snapshots.kind.daily': 'Quotidien',
  'snapshots.kind.weekly': 'Hebdomadaire',
  'snapshots.kind.monthly': 'Mensuel',
  'offer.snapshotsHourly': 'Instantanés horaires gardés',
  'offer.snapshotsHourlyHint': 'Instantanés du dossier personnel pris toutes les heures ; 0 : aucun.',
  'offer.snapshotsDaily': 'Instantanés quotidiens gardés',
  'offer.snapshotsDailyHint': 'Pris à 05:00 UTC ; 0 : aucun.',
  'offer.snapshotsWeekly': 'Instantanés hebdomadaires gardés',
  'offer.snapshotsWeeklyHint': 'Pris le dimanche à 07:00 UTC ; 0 : aucun.',
  'offer.snapshotsMonthly': 'Instantanés mensuels gardés',
  'offer.snapshotsMonthlyHint': 'Pris le 1er du mois à 08:00 UTC ; 0 : aucun.',
  'error.snapshot.not_here': 'Cet hébergement n’est pas (encore) installé sur son serveur web : ses instantanés ne peuvent pas être listés.',
};
