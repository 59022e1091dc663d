// The FTP settings (Pure-FTPd of the web servers): read by config.ts; each bad value is refused with
// config.invalid naming its key.
import path from 'node:path';
import { AppError } from './errors.js';
import { intSetting, ip, type RawSettings } from './config-values.js';

export interface FtpSettings {
  bind: string;
  port: number;
  /** passive data ports, inclusive */
  passive: { first: number; last: number };
  /** the address announced in passive replies (behind NAT), or null: the one the client reached */
  passiveIp: string | null;
  /** required: no sign-in without TLS (AUTH TLS); optional: plain FTP is accepted too */
  tls: 'required' | 'optional';
  pureFtpd: string;
  pureFtpdPw: string;
}

/** "first-last" of ABRI_FTP_PASSIVE. */
export function passiveRange(value: string): { first: number; last: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(value.trim());
  const [first, last] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || first < 1024 || last > 65535 || last < first || last - first > 10_000) {
    throw new AppError('config.invalid', `ABRI_FTP_PASSIVE must be first-last ports between 1024 and 65535, at most 10,000 of them (got "${value}")`);
  }
  return { first, last };
}

export function ftpSettings(raw: RawSettings): FtpSettings {
  const bind = raw.ABRI_FTP_BIND!.trim();
  const passiveIp = raw.ABRI_FTP_PASSIVE_IP!.trim();
  const tls = raw.ABRI_FTP_TLS!.trim();
  const [pureFtpd, pureFtpdPw] = [raw.ABRI_PURE_FTPD!.trim(), raw.ABRI_PURE_PW!.trim()];
  if (!ip(bind) || (passiveIp && !ip(passiveIp))) throw new AppError('config.invalid', `ABRI_FTP_BIND and ABRI_FTP_PASSIVE_IP must be IP addresses (got "${bind}", "${passiveIp}")`);
  if (tls !== 'required' && tls !== 'optional') throw new AppError('config.invalid', `ABRI_FTP_TLS must be required or optional (got "${tls}")`);
  if (!path.isAbsolute(pureFtpd) || !path.isAbsolute(pureFtpdPw)) throw new AppError('config.invalid', 'ABRI_PURE_FTPD and ABRI_PURE_PW must be absolute paths');
  return { bind, port: intSetting(raw, 'ABRI_FTP_PORT', 1, 65535), passive: passiveRange(raw.ABRI_FTP_PASSIVE!), passiveIp: passiveIp || null, tls, pureFtpd, pureFtpdPw };
}
