// The message catalogs: English defines the keys; French must have exactly the same (checked by tsc).
import { enCerts } from './en/certs.js';
import { enCommon } from './en/common.js';
import { enCustomer } from './en/customer.js';
import { enDns } from './en/dns.js';
import { enStaff } from './en/staff.js';
import { frCerts } from './fr/certs.js';
import { frCommon } from './fr/common.js';
import { frCustomer } from './fr/customer.js';
import { frDns } from './fr/dns.js';
import { frStaff } from './fr/staff.js';
import type { Locale } from '../api/types.js';

export const en = { ...enCommon, ...enCustomer, ...enStaff, ...enDns, ...enCerts };
export type MessageKey = keyof typeof en;
export const fr: Record<MessageKey, string> = { ...frCommon, ...frCustomer, ...frStaff, ...frDns, ...frCerts };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };
export const locales: Locale[] = ['fr', 'en'];
