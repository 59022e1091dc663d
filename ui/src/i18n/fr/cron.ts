// Français : tâches planifiées (cron) des hébergements — les erreurs que donne l’API.
import type { enCron } from '../en/cron.js';
import type { Message } from '../catalog.js';

export const frCron: Record<keyof typeof enCron, Message> = {
  'error.cron_task.not_found': 'Cette tâche planifiée n’existe pas.',
  'error.cron_task.forbidden': 'Vous ne pouvez pas modifier les tâches planifiées de cet hébergement.',
  'error.cron_task.schedule_invalid': 'Cette planification n’est pas valide : cinq champs (minute heure jour mois jour-de-semaine) ou @hourly, @daily, @weekly, @monthly, @yearly.',
  'error.cron_task.command_invalid': 'La commande doit tenir sur une ligne et ne pas être vide.',
  'error.cron_task.no_server': 'Cet hébergement n’est encore sur aucun serveur web : ses tâches n’auraient nulle part où s’exécuter.',
  'error.quota.cron_tasks_exceeded': 'Cet hébergement a déjà autant de tâches planifiées que permis.',
  'error.quota.cron_tasks_exceeded.max': { n: 'max', one: 'Un hébergement a au plus {max} tâche planifiée.', other: 'Un hébergement a au plus {max} tâches planifiées.' },
};
