// Français : le mode lecture seule de la plateforme — le bandeau de chaque page et la page de l’équipe qui le bascule.
import type { enReadOnly } from '../en/read-only.js';

export const frReadOnly: Record<keyof typeof enReadOnly, string> = {
  'nav.readOnly': 'Lecture seule',
  'readOnly.title': 'Mode lecture seule',
  'readOnly.explained': 'Tant que la plateforme est en lecture seule, les clients se connectent, consultent tout, réinitialisent leur mot de passe et téléchargent (factures, journaux), mais ne modifient rien : chaque modification est refusée avec le message ci-dessous. Les sites, la messagerie et les bases de données continuent de fonctionner. L’équipe continue de travailler ; seuls les administrateurs basculent le mode.',
  'readOnly.banner.active': 'La plateforme est en lecture seule.',
  'readOnly.banner.scheduled': 'La plateforme passera en lecture seule à partir du {at}.',
  'readOnly.banner.customer': 'Vous pouvez tout consulter et télécharger vos documents ; les modifications ne sont pas possibles pour le moment.',
  'readOnly.banner.staff': 'Les clients ne modifient plus rien ; vous, l’équipe, le pouvez toujours.',
  'readOnly.state.off': 'Modifiable : les clients modifient ce qui leur est permis.',
  'readOnly.state.active': 'En lecture seule depuis le {since}.',
  'readOnly.state.scheduled': 'En lecture seule à partir du {at} (programmé).',
  'readOnly.changed': 'Dernière bascule',
  'readOnly.changedBy': '{at} par {who}',
  'readOnly.change': 'Modifier le message ou le début',
  'readOnly.switchOn': 'Passer en lecture seule',
  'readOnly.save': 'Enregistrer',
  'readOnly.switchOff': 'Rendre la plateforme modifiable',
  'readOnly.switchOffExplained': 'Les clients pourront de nouveau modifier leurs hébergements, sites et comptes, et les tâches en attente (renouvellements, relances) s’exécuteront.',
  'readOnly.messageFr': 'Message en français',
  'readOnly.messageEn': 'Message en anglais',
  'readOnly.messageHint': 'Affiché sur chaque page et avec chaque modification refusée : dites pourquoi, et jusqu’à quand si vous le savez.',
  'readOnly.startsAt': 'Début (facultatif)',
  'readOnly.startsAtHint': 'Par exemple 2026-12-31T18:00:00Z ; vide : tout de suite. D’ici là, les pages l’annoncent.',
  'readOnly.adminsOnly': 'Seuls les administrateurs basculent le mode lecture seule.',
};
