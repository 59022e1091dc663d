// The settings of off-server backups (src/backups): read by config.ts; each bad value is refused with
// config.invalid naming its key. The manager tells web servers where the backup servers' SFTP listens
// (the port) and which uid each hosting's account has there (its hosting's uid + the offset); the
// nodes read their own part (the backup server's sshd, the web server's daily time and upload limit).
import { AppError } from './errors.js';
import { intSetting, ip, type RawSettings } from './config-values.js';

export interface BackupSettings {
  /** the port of the backup servers' SFTP service (Abri's own sshd for restic) */
  port: number;
  /** a hosting's account on its backup server has the hosting's uid + this */
  uidOffset: number;
}

export interface BackupNodeSettings {
  /** backup nodes: where Abri's sshd for the repositories listens (with the port) */
  bind: string;
  port: number;
  /** web nodes: the daily backup's time, UTC, in minutes after midnight */
  dailyAt: number;
  /** web nodes: restic's upload limit per backup, KiB/s (0: none) */
  limitUploadKib: number;
}

export const backupSettingList = [
  { key: 'ABRI_BACKUP_PORT', default: '2223', description: 'port of the SFTP service (Abri\'s own sshd) on the backup servers, where the web servers send each hosting\'s restic backups; the machine\'s own sshd keeps port 22' },
  { key: 'ABRI_BACKUP_BIND', default: '0.0.0.0', description: 'on backup nodes: the address Abri\'s sshd for the backup repositories listens on (with ABRI_BACKUP_PORT)' },
  { key: 'ABRI_BACKUP_UID_OFFSET', default: '200000', description: 'a hosting\'s account on its backup server gets the hosting\'s uid plus this (keep the two ranges apart: the account must never be the hosting\'s own uid)' },
  { key: 'ABRI_BACKUP_TIME', default: '03:00', description: 'on web nodes: when the daily backup of every hosting starts, UTC (HH:MM)' },
  { key: 'ABRI_BACKUP_LIMIT_UPLOAD_KIB', default: '0', description: 'on web nodes: the most a backup may send, in KiB/s (restic --limit-upload); 0 = no limit' },
];

export function backupSettings(raw: RawSettings): BackupSettings {
  return { port: intSetting(raw, 'ABRI_BACKUP_PORT', 1, 65535), uidOffset: intSetting(raw, 'ABRI_BACKUP_UID_OFFSET', 1, 4_000_000_000) };
}

export function backupNodeSettings(raw: RawSettings): BackupNodeSettings {
  const bind = (raw.ABRI_BACKUP_BIND ?? '').trim();
  if (!ip(bind)) throw new AppError('config.invalid', `ABRI_BACKUP_BIND must be an IP address (got "${bind}")`);
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec((raw.ABRI_BACKUP_TIME ?? '').trim());
  if (!m) throw new AppError('config.invalid', `ABRI_BACKUP_TIME must be a time HH:MM, UTC (got "${raw.ABRI_BACKUP_TIME}")`);
  return {
    bind,
    port: intSetting(raw, 'ABRI_BACKUP_PORT', 1, 65535),
    dailyAt: Number(m[1]) * 60 + Number(m[2]),
    limitUploadKib: intSetting(raw, 'ABRI_BACKUP_LIMIT_UPLOAD_KIB', 0, 10_000_000),
  };
}
