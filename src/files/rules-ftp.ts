// Pure rules of FTP users (Pure-FTPd virtual users): names and folders as for SFTP users (one
// validation per kind of value, shared with the agent's renderer), the start directory, the quota
// they share with SFTP users (the offer's maxFtpUsers counts every file-transfer account).
import { AppError, fieldError } from '../platform/errors.js';
import type { OfferRow } from '../offers/model.js';
import { folderProblem, isSftpUserName, MAX_USER_NAME } from './rules.js';

/** An FTP user's name has the SFTP users' form: `<hosting>-<suffix>`, at most 32 characters. */
export const isFtpUserName = isSftpUserName;

/** `<hosting>-<suffix>`, or a field error when it is longer than 32 characters. */
export function ftpUserName(hostingName: string, suffix: string): string {
  const name = `${hostingName}-${suffix}`;
  if (name.length > MAX_USER_NAME) {
    const left = MAX_USER_NAME - hostingName.length - 1;
    throw fieldError('ftp_user.name_too_long', 'body.name', `${name} is longer than ${MAX_USER_NAME} characters: in ${hostingName}, give at most ${left} characters`, { name, max: left });
  }
  return name;
}

/** The folder as given, trimmed of surrounding slashes, or a field error (same rules as SFTP users). */
export function normaliseFtpFolder(raw: string, at = 'body.folder'): string {
  const folder = raw.trim().replace(/^\.\/?/, '').replace(/\/+$/, '');
  const problem = folderProblem(folder);
  if (problem) throw fieldError('ftp_user.folder_invalid', at, `folder "${raw}": ${problem}`, { folder: raw, reason: problem });
  return folder;
}

/** Where an FTP session starts: the folder is the session's / (the whole home: its var/www). */
export const ftpStartDirectory = (folder: string) => (folder === '' ? '/var/www' : '/');

/** SFTP and FTP users of a hosting together stay within the offer's maxFtpUsers. */
export function assertFtpQuota(offer: Pick<OfferRow, 'name' | 'maxFtpUsers'>, used: number) {
  if (used + 1 > offer.maxFtpUsers) {
    throw new AppError('quota.ftp_users_exceeded', `the offer "${offer.name}" allows ${offer.maxFtpUsers} file-transfer (SFTP/FTP) user(s) per hosting`, {
      params: { offer: offer.name, max: offer.maxFtpUsers, used },
    });
  }
}
