// Français : exports comptables (CSV, FEC) et option Factur-X.
import type { enExports } from '../en/exports.js';

export const frExports: Record<keyof typeof enExports, string> = {
  'exports.title': 'Exports comptables',
  'exports.explained': 'Les factures et avoirs émis sur une période (les proformas ne sont pas des créances : exclues). Le CSV a une ligne par document et par taux de TVA ; le FEC est le journal des ventes au format de l\'administration fiscale (art. A47 A-1 du LPF), nommé d\'après votre SIREN.',
  'exports.from': 'Du',
  'exports.to': 'Au (inclus)',
  'exports.toHint': 'Pour un FEC, le dernier jour de l\'exercice.',
  'exports.separator': 'Colonnes du FEC séparées par',
  'exports.separator.tab': 'des tabulations',
  'exports.separator.pipe': 'des barres verticales (|)',
  'exports.csv': 'Télécharger le CSV',
  'exports.fec': 'Télécharger le FEC',
  'exports.settings': 'Comptabilité et Factur-X',
  'exports.save': 'Appliquer les réglages comptables',
  'exports.customerAccount': 'Compte clients',
  'exports.customerAccountHint': 'Chaque client y a son compte auxiliaire : C suivi de son numéro.',
  'exports.revenueAccount': 'Compte de produits',
  'exports.vatAccount': 'Compte de TVA collectée',
  'exports.siren': 'SIREN',
  'exports.sirenHint': 'Donne son nom au fichier FEC. Vide : celui du numéro d\'immatriculation s\'il s\'agit d\'un SIREN ou d\'un SIRET.',
  'exports.facturX': 'Factures Factur-X',
  'exports.facturXHint': 'Factures et avoirs se téléchargent en PDF/A-3 portant leur XML EN 16931, que le logiciel comptable du client lit.',
  'issue.exports.day': 'Saisissez une date.',
  'issue.exports.order': 'La période finit avant de commencer.',
  'error.billing.export_range': 'Un export va d\'un jour à un jour ultérieur, sur {maxDays} jours au plus (du {from} au {to} ne convient pas).',
  'error.billing.siren_missing': 'Le FEC est nommé d\'après votre SIREN : saisissez-le dans les réglages de facturation (ou un SIREN ou SIRET comme numéro d\'immatriculation).',
};
