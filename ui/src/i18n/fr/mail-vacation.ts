// Français : la réponse d’absence d’une boîte (onglet Courrier) et ses erreurs.
import type { enMailVacation } from '../en/mail-vacation.js';
import type { Message } from '../catalog.js';

export const frMailVacation: Record<keyof typeof enMailVacation, Message> = {
  'vacation.open': 'Absence',
  'vacation.openFor': 'Réponse d’absence de {name}',
  'vacation.title': 'Réponse d’absence de {address}',
  'vacation.loading': 'Chargement…',
  'vacation.none': 'Pas de réponse d’absence.',
  'vacation.on': 'Active : chaque expéditeur la reçoit au plus une fois tous les {days} jours ; jamais les listes de diffusion, les avis de non-remise ni les autres réponses automatiques.',
  'vacation.off': 'Inactive : le texte est gardé, personne ne le reçoit.',
  'vacation.enabled': 'Envoyer cette réponse',
  'vacation.enabledHint': 'Chaque expéditeur la reçoit au plus une fois tous les {days} jours.',
  'vacation.subject': 'Objet',
  'vacation.message': 'Message',
  'vacation.messageHint': 'Texte brut, envoyé tel quel.',
  'vacation.startsOn': 'Premier jour (facultatif)',
  'vacation.endsOn': 'Dernier jour (facultatif)',
  'vacation.dayHint': 'Jours en UTC, bornes comprises.',
  'vacation.save': 'Enregistrer la réponse',
  'vacation.remove': 'Supprimer la réponse',
  'vacation.close': 'Fermer',
  'issue.form.vacation_subject': 'Une ligne d’au plus 200 caractères.',
  'issue.form.vacation_message': 'Un texte d’au plus 5 000 caractères, sans tabulation ni caractère de contrôle.',
  'issue.form.vacation_day': 'Une date comme 2026-12-24.',
  'error.vacation.dates_reversed': 'Le dernier jour précède le premier.',
  'error.vacation.dates_reversed.endsOn': 'Le dernier jour ({endsOn}) précède le premier ({startsOn}).',
};
