// Français : les limites du courrier — le courrier retenu (limite d'envoi) pour l'équipe et sur les
// boîtes, les limites d'envoi de l'offre, l'adresse attrape-tout, et leurs erreurs.
import type { enMailLimits } from '../en/mail-limits.js';
import type { Message } from '../catalog.js';

export const frMailLimits: Record<keyof typeof enMailLimits, Message> = {
  'nav.heldMail': 'Courrier retenu',
  'heldMail.explained': 'Une boîte qui a envoyé plus de messages que son offre ne le permet en une heure ou en un jour voit ses messages suivants retenus sur son serveur de courrier (c’est souvent le signe d’un mot de passe volé). Regardez-les, puis libérez-les (envoyés aussitôt, le compte repart de zéro) ou supprimez-les.',
  'heldMail.none': 'Aucun courrier n’est retenu.',
  'heldMail.mailbox': { one: '{address} : {count} message retenu', other: '{address} : {count} messages retenus' },
  'heldMail.hosting': 'Hébergement {hosting}',
  'heldMail.show': 'Voir les messages',
  'heldMail.to': 'à {recipients}',
  'heldMail.release': 'Libérer',
  'heldMail.releaseFor': 'Libérer le courrier retenu de {address}',
  'heldMail.releaseTitle': 'Libérer le courrier retenu de {address} ?',
  'heldMail.releaseConfirm': 'Libérer et envoyer',
  'heldMail.releaseExplained': 'Les messages retenus partent maintenant et le compte d’envoi de la boîte repart de zéro.',
  'heldMail.delete': 'Supprimer',
  'heldMail.deleteFor': 'Supprimer le courrier retenu de {address}',
  'heldMail.deleteTitle': 'Supprimer le courrier retenu de {address} ?',
  'heldMail.deleteConfirm': 'Supprimer sans envoyer',
  'heldMail.deleteExplained': 'Les messages retenus sont supprimés sans être envoyés. C’est définitif.',
  'mailbox.sendingHeld': { one: 'envoi retenu ({count} message)', other: 'envoi retenu ({count} messages)' },
  'mailAlias.catchAllHint': 'Ou * pour l’attrape-tout : le courrier de toute adresse de {domain} qui n’est ni une boîte ni un alias.',
  'offer.mailSendPerHour': 'Courriels envoyés par heure',
  'offer.mailSendPerHourHint': 'Messages que chaque boîte peut envoyer en une heure ; au-delà, son courrier est retenu pour l’équipe.',
  'offer.mailSendPerDay': 'Courriels envoyés par jour',
  'offer.mailSendPerDayHint': 'Messages que chaque boîte peut envoyer en un jour ; au-delà, son courrier est retenu pour l’équipe.',
  'error.mailbox.not_on_server': 'Cette boîte n’est pas (encore) sur son serveur de courrier.',
};
