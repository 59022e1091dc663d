// The message catalogs: English defines the keys; French must have exactly the same (checked by tsc).
import { enCommon } from './en/common.js';
import { enCustomer } from './en/customer.js';
import { enStaff } from './en/staff.js';
import { frCommon } from './fr/common.js';
import { frCustomer } from './fr/customer.js';
import { frStaff } from './fr/staff.js';
import type { Locale } from '../api/types.js';

export const en = { ...enCommon, ...enCustomer, ...enStaff };
export type MessageKey = keyof typeof en;
export const fr: Record<MessageKey, string> = { ...frCommon, ...frCustomer, ...frStaff };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };
export const locales: Locale[] = ['fr', 'en'];
