// The shapes of the SFTP tab, from the generated schema (as api/model.ts names the others).
import type { Answer } from '../../api/query.js';

export type SftpUser = Answer<'/hostings/{id}/sftp-users'>['items'][number];
export type SftpKey = SftpUser['keys'][number];

/** Public key lines typed one per line (blank lines left out). */
export const keyLines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** The command that opens a session, as the customer would type it. */
export const sftpCommand = (u: Pick<SftpUser, 'name' | 'host' | 'port'>) => `sftp -P ${u.port} ${u.name}@${u.host}`;

/** The command that opens a shell in the hosting's jail (users with `shell`). */
export const sshCommand = (u: Pick<SftpUser, 'name' | 'host' | 'port'>) => `ssh -p ${u.port} ${u.name}@${u.host}`;
