// Offers: a plan with a price, a billing cycle and the quotas its hostings live within.
import { z } from 'zod';
import { patchOf, singleLine } from '../platform/validation.js';

const quota = (max: number) => z.number().int().min(0).max(max);
const phpVersion = z.string().regex(/^\d+\.\d+$/, 'must be a PHP version like 8.2');

export const offerFields = {
  name: singleLine(100),
  priceCents: z.number().int().min(0).max(100_000_000).describe('price per billing cycle, in cents'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR').default('EUR'),
  billingCycle: z.enum(['monthly', 'quarterly', 'yearly']),
  diskMb: quota(100_000_000),
  maxSites: quota(100_000),
  maxMailboxes: quota(100_000),
  mailMb: quota(100_000_000),
  maxDatabases: quota(10_000),
  databaseMb: quota(100_000_000),
  maxFtpUsers: quota(10_000),
  sshAllowed: z.boolean(),
  tlsAllowed: z.boolean(),
  phpVersions: z.array(phpVersion).min(1, 'allow at least one PHP version').max(20),
  phpMaxChildren: z.number().int().min(1).max(500).default(5).describe('PHP-FPM processes a hosting may run at once'),
  phpMemoryMb: z.number().int().min(16).max(16384).default(256).describe('PHP memory_limit, in MB'),
  archived: z.boolean().default(false).describe('archived offers stay on their hostings but are not offered for new ones'),
};

export const offerCreate = z.strictObject(offerFields);
export const offerPatch = patchOf(offerFields);

export const offerOut = z.object({
  id: z.string(),
  ...offerFields,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type OfferRow = {
  id: string; name: string; priceCents: number; currency: string; billingCycle: 'monthly' | 'quarterly' | 'yearly';
  diskMb: number; maxSites: number; maxMailboxes: number; mailMb: number; maxDatabases: number; databaseMb: number;
  maxFtpUsers: number; sshAllowed: boolean; tlsAllowed: boolean; phpVersions: string[]; phpMaxChildren: number; phpMemoryMb: number; archived: boolean; createdAt: Date; updatedAt: Date;
};

export const showOffer = (o: OfferRow) => ({ ...o, createdAt: new Date(o.createdAt).toISOString(), updatedAt: new Date(o.updatedAt).toISOString() });
