// Français : DKIM d'un domaine de courrier — le sélecteur de la clé qui signe, les anciennes clés encore publiées, le renouvellement.
import type { enMailDkim } from '../en/mail-dkim.js';

export const frMailDkim: Record<keyof typeof enMailDkim, string> = {
  'mailDkim.title': 'Signature DKIM de {name}',
  'mailDkim.signing': 'Le courrier envoyé depuis ce domaine est signé avec la clé du sélecteur {selector}.',
  'mailDkim.none': 'Le courrier de ce domaine n’est pas encore signé : créez une clé.',
  'mailDkim.selector': 'Sélecteur',
  'mailDkim.state': 'État',
  'mailDkim.record': 'Enregistrement DNS',
  'mailDkim.stateSigning': 'signe',
  'mailDkim.stateRetired': 'remplacée, publiée jusqu’au {date}',
  'mailDkim.rotate': 'Nouvelle clé DKIM',
  'mailDkim.rotateFor': 'Créer une nouvelle clé DKIM pour {name}',
  'mailDkim.rotateTitle': 'Signer le courrier de {name} avec une nouvelle clé ?',
  'mailDkim.rotateConfirm': 'Oui, créer une nouvelle clé',
  'mailDkim.rotateManaged': 'La nouvelle clé est publiée dans le DNS et signe dès lors. L’actuelle reste publiée 7 jours : le courrier déjà envoyé reste vérifiable.',
  'mailDkim.rotateExternal': 'La nouvelle clé signe dès lors : publiez tout de suite son enregistrement chez l’hébergeur DNS du domaine. L’actuelle reste listée 7 jours.',
};
