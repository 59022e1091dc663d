// The messages of accounts (pure), in French and English: an invitation to act for a customer, the
// activation of an account staff created, a password reset. Each carries its link (a secret, sealed
// until sent).
import { z } from 'zod';
import { defineTemplate, when, type Locale } from '../outbox/templates.js';

const ROLES: Record<Locale, Record<string, string>> = {
  fr: { owner: 'propriétaire', manager: 'gestionnaire', readonly: 'lecture seule', admin: 'administrateur', staff: 'équipe', customer: 'client' },
  en: { owner: 'owner', manager: 'manager', readonly: 'read-only', admin: 'administrator', staff: 'staff', customer: 'customer' },
};
const role = (r: string, l: Locale) => ROLES[l][r] ?? r;

const invitationParams = z.object({ customerName: z.string(), customerNumber: z.number().int(), role: z.string(), inviter: z.string().nullable(), expiresAt: z.string() });
const activationParams = z.object({ email: z.string(), role: z.string(), expiresAt: z.string() });
const passwordResetParams = z.object({ email: z.string(), expiresAt: z.string() });

declare module '../outbox/templates.js' {
  interface MessageTemplates {
    invitation: typeof invitationParams;
    activation: typeof activationParams;
    password_reset: typeof passwordResetParams;
  }
}

export const invitationMessage = defineTemplate({
  name: 'invitation',
  params: invitationParams,
  about: '',
  body: (q, l) => {
    const fr = l === 'fr';
    const by = q.inviter ? (fr ? ` par ${q.inviter}` : ` by ${q.inviter}`) : '';
    return fr
      ? { subject: `Invitation à gérer ${q.customerName}`, before: [`Bonjour,`, `Vous êtes invité${by} à agir pour ${q.customerName} (client ${q.customerNumber}) avec le rôle « ${role(q.role, l)} ».`], action: 'Accepter l\'invitation', after: [`Ce lien sert une fois et expire le ${when(q.expiresAt, l)}.`, 'Si vous n\'attendiez pas cette invitation, ignorez ce message.'] }
      : { subject: `Invitation to manage ${q.customerName}`, before: ['Hello,', `You are invited${by} to act for ${q.customerName} (customer ${q.customerNumber}) with the role "${role(q.role, l)}".`], action: 'Accept the invitation', after: [`This link works once and expires on ${when(q.expiresAt, l)}.`, 'If you did not expect this invitation, ignore this message.'] };
  },
});

export const activationMessage = defineTemplate({
  name: 'activation',
  params: activationParams,
  about: 'an account staff created',
  body: (q, l) => {
    const fr = l === 'fr';
    return fr
      ? { subject: 'Activez votre compte', before: ['Bonjour,', `Un compte « ${role(q.role, l)} » a été créé pour ${q.email}. Choisissez son mot de passe pour l'activer.`], action: 'Choisir mon mot de passe', after: [`Ce lien sert une fois et expire le ${when(q.expiresAt, l)}.`] }
      : { subject: 'Activate your account', before: ['Hello,', `A "${role(q.role, l)}" account was created for ${q.email}. Choose its password to activate it.`], action: 'Choose my password', after: [`This link works once and expires on ${when(q.expiresAt, l)}.`] };
  },
});

export const passwordResetMessage = defineTemplate({
  name: 'password_reset',
  params: passwordResetParams,
  about: '',
  body: (q, l) => {
    const fr = l === 'fr';
    return fr
      ? { subject: 'Réinitialisation de votre mot de passe', before: ['Bonjour,', `Quelqu'un (vous, sans doute) a demandé un nouveau mot de passe pour le compte ${q.email}.`], action: 'Choisir un nouveau mot de passe', after: [`Ce lien sert une fois et expire le ${when(q.expiresAt, l)}. Un nouveau mot de passe ferme toutes les sessions ouvertes et révoque les jetons d'API du compte.`, 'Si vous n\'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.'] }
      : { subject: 'Resetting your password', before: ['Hello,', `Someone (you, most likely) asked for a new password for the account ${q.email}.`], action: 'Choose a new password', after: [`This link works once and expires on ${when(q.expiresAt, l)}. A new password ends every open session and revokes the account's API tokens.`, 'If you did not ask for anything, ignore this message: your password does not change.'] };
  },
});
