// Français : mots de passe d’application des boîtes, et ce que l’onglet Courrier dit des logiciels qui se configurent seuls.
import type { enMailApps } from '../en/mail-apps.js';
import type { Message } from '../catalog.js';

export const frMailApps: Record<keyof typeof enMailApps, Message> = {
  'mailTab.autoconfig': 'Thunderbird, Outlook et la plupart des applications de courrier des téléphones se configurent seuls : tapez l’adresse et son mot de passe, rien d’autre.',
  'appPassword.title': 'Mots de passe d’application de {address}',
  'appPassword.explained': 'Un mot de passe d’application pour chaque appareil (téléphone, ordinateur portable…) : connectez-vous-y en tant que {address} avec lui, pour lire et envoyer le courrier. Révoquez-le si l’appareil est perdu ; les autres et le mot de passe de la boîte continuent de fonctionner.',
  'appPassword.secretOf': 'Mot de passe d’application « {name} »',
  'appPassword.once': 'Tapez-le maintenant dans l’appareil, avec {address} comme identifiant : il n’est affiché qu’une fois. Abri n’en garde qu’une empreinte.',
  'appPassword.name': 'Appareil',
  'appPassword.namePlaceholder': 'Téléphone',
  'appPassword.nameHint': 'Un nom pour le reconnaître plus tard.',
  'appPassword.created': 'Créé le',
  'appPassword.none': 'Aucun mot de passe d’application pour l’instant.',
  'appPassword.create': 'Ajouter un mot de passe d’application',
  'appPassword.createSubmit': 'Créer le mot de passe d’application',
  'appPassword.open': 'Mots de passe d’application',
  'appPassword.openFor': 'Mots de passe d’application de {name}',
  'appPassword.revoke': 'Révoquer',
  'appPassword.revokeFor': 'Révoquer le mot de passe d’application {name}',
  'appPassword.revokeTitle': 'Révoquer le mot de passe d’application « {name} » ?',
  'appPassword.revokeConfirm': 'Oui, le révoquer',
  'appPassword.revokeLoses': 'L’appareil qui utilise « {name} » ne pourra plus se connecter à {address} dès que le serveur de courrier aura appliqué le changement.',
  'issue.form.app_password_name': 'Donnez-lui un nom, par exemple Téléphone.',
  'error.app_password.not_found': 'Mot de passe d’application introuvable.',
  'error.app_password.taken': 'Cette boîte a déjà un mot de passe d’application de ce nom.',
  'error.app_password.taken.name': 'Cette boîte a déjà un mot de passe d’application nommé « {name} ».',
  'error.app_password.limit_reached': 'Cette boîte a autant de mots de passe d’application que permis : révoquez-en un d’abord.',
  'error.app_password.limit_reached.max': 'Une boîte a au plus {max} mots de passe d’application : révoquez-en un d’abord.',
};
