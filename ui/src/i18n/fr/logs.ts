// Français : l'onglet Journaux d'un site (journaux d'accès et d'erreurs, journal d'erreurs PHP de l'hébergement) et ses erreurs.
import type { enLogs } from '../en/logs.js';
import type { Message } from '../catalog.js';

export const frLogs: Record<keyof typeof enLogs, Message> = {
  'siteTab.logs': 'Journaux',
  'logs.title': 'Journaux',
  'logs.explained': 'Les dernières lignes des journaux du site, lues sur son serveur web quand vous le demandez. Les journaux sont renouvelés (chaque jour, et quand ils deviennent gros) : les lignes plus anciennes sont dans les fichiers .1 et .gz voisins, dans var/log par SFTP.',
  'logs.kind': 'Journal',
  'logs.kind.access': 'Visites (journal d’accès)',
  'logs.kind.error': 'Erreurs du serveur web (journal d’erreurs)',
  'logs.kind.php': 'Erreurs PHP (tout l’hébergement)',
  'logs.lines': 'Dernières lignes',
  'logs.filter': 'Seulement les lignes contenant',
  'logs.filterPlaceholder': 'p. ex. 404, une adresse, un chemin',
  'logs.apply': 'Afficher',
  'logs.refresh': 'Actualiser',
  'logs.summary': '{file} ({size}, dernière écriture {when}) :',
  'logs.count': { one: '{count} ligne.', other: '{count} lignes.' },
  'logs.countFiltered': { zero: 'aucune ligne correspondante.', one: '{count} ligne correspondante.', other: '{count} lignes correspondantes.' },
  'logs.partial': 'Ce fichier est gros : seule sa fin a été parcourue.',
  'logs.linesLabel': 'Lignes de {file}',
  'logs.none': 'Rien dans ce journal pour l’instant.',
  'logs.noneMatching': 'Aucune ligne de ce journal ne contient ce texte.',
  'logs.missing': 'Rien n’a encore été écrit dans {file} (il vient d’être créé ou renouvelé).',
  'error.site.logs_not_here': 'Ce site n’est pas (encore) installé sur son serveur web : ses journaux ne peuvent pas être lus.',
  'error.site.log_unsafe': 'Le journal {file} n’a pas été lu : {detail}. L’équipe de la plateforme doit s’en occuper.',
  'error.server.unreachable': 'Le serveur {server} n’a pas répondu à temps. Réessayez dans un instant ; si cela dure, l’équipe de la plateforme le voit sur la page Serveurs.',
  'error.server.query_failed': 'Le serveur {server} n’a pas pu répondre : {detail}',
};
