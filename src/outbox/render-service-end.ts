// The message of a service's end (pure, French and English): asked (at term or early), cancelled,
// done (the hosting terminated, its files kept for the retention period).
import { z } from 'zod';
import { defineTemplate, type Body } from './templates.js';

const serviceEndParams = z.object({
  hosting: z.string(),
  event: z.enum(['requested', 'cancelled', 'done']),
  mode: z.enum(['term', 'early']),
  endsOn: z.string().describe('YYYY-MM-DD: the day the hosting is terminated'),
});
type Params = z.infer<typeof serviceEndParams>;

declare module './templates.js' {
  interface MessageTemplates {
    service_end: typeof serviceEndParams;
  }
}

const dayIn = (day: string, l: 'fr' | 'en') =>
  new Intl.DateTimeFormat(l === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

function serviceEndBody(q: Params, l: 'fr' | 'en'): Body {
  const on = dayIn(q.endsOn, l);
  if (l === 'fr') {
    const how = q.mode === 'term' ? 'à son échéance' : 'par anticipation';
    if (q.event === 'requested') {
      return { subject: `Résiliation de l'hébergement ${q.hosting} le ${on}`, before: ['Bonjour,', `L'hébergement ${q.hosting} est résilié ${how} : il sera arrêté le ${on} et ne sera pas renouvelé.`, ...(q.mode === 'early' ? ['Une résiliation par anticipation ne donne lieu à aucun remboursement.'] : [])], action: 'Voir l\'hébergement', after: [q.mode === 'term' ? `Vous pouvez annuler cette résiliation jusqu'au ${on}.` : 'Ses fichiers sont conservés un temps après l\'arrêt ; demandez-nous avant s\'il faut les récupérer.'] };
    }
    if (q.event === 'cancelled') return { subject: `Résiliation de l'hébergement ${q.hosting} annulée`, before: ['Bonjour,', `La résiliation de l'hébergement ${q.hosting} prévue le ${on} est annulée : il continue et sera renouvelé à son échéance.`], action: 'Voir l\'hébergement', after: [] };
    return { subject: `Hébergement ${q.hosting} arrêté`, before: ['Bonjour,', `L'hébergement ${q.hosting} est arrêté ce ${on}, comme demandé : ses sites ne sont plus servis.`], action: 'Voir l\'hébergement', after: ['Ses fichiers sont conservés pendant la durée de rétention, puis supprimés. Vos factures restent téléchargeables.'] };
  }
  const how = q.mode === 'term' ? 'at term' : 'early';
  if (q.event === 'requested') {
    return { subject: `Hosting ${q.hosting} ends on ${on}`, before: ['Hello,', `The hosting ${q.hosting} ends ${how}: it will be terminated on ${on} and not renewed.`, ...(q.mode === 'early' ? ['Ending a service early refunds nothing.'] : [])], action: 'View the hosting', after: [q.mode === 'term' ? `You can cancel this until ${on}.` : 'Its files are kept for a while after it stops; ask us before if you need them.'] };
  }
  if (q.event === 'cancelled') return { subject: `Hosting ${q.hosting} no longer ends`, before: ['Hello,', `The end of the hosting ${q.hosting} planned on ${on} is cancelled: it goes on and renews on its due date.`], action: 'View the hosting', after: [] };
  return { subject: `Hosting ${q.hosting} terminated`, before: ['Hello,', `The hosting ${q.hosting} was terminated on ${on}, as asked: its sites are no longer served.`], action: 'View the hosting', after: ['Its files are kept for the retention period, then deleted. Your invoices can still be downloaded.'] };
}

export const serviceEndMessage = defineTemplate({ name: 'service_end', params: serviceEndParams, about: 'a service ends: asked, cancelled, done', body: serviceEndBody });
