// Parsers shared by the settings' readers (config.ts, config-dns.ts): each refuses a bad value with
// config.invalid naming its key.
import { isIP } from 'node:net';
import { AppError } from './errors.js';

export type RawSettings = Record<string, string | undefined>;

export const ip = (s: string) => isIP(s) !== 0;

export const list = (value: string) =>
  value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

export function intSetting(raw: RawSettings, key: string, min: number, max: number): number {
  const v = raw[key] ?? '';
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) {
    throw new AppError('config.invalid', `${key} must be an integer between ${min} and ${max} (got "${v}")`);
  }
  return n;
}

/** A 1/0 setting (also true/false, yes/no, on/off; empty = off). */
export const flag = (raw: RawSettings, key: string) => {
  const v = (raw[key] ?? '').toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new AppError('config.invalid', `${key} must be 1 or 0 (got "${raw[key]}")`);
};
