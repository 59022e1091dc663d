// Pure: which certificate Postfix and Dovecot serve, written into their configurations as a comment.
// The file they read (certFile: certificate, chain, key) is swapped by the agent (apply-mail.ts:
// the platform's ACME certificate of this mail server once issued, else a self-signed one); the note
// makes a new certificate a new configuration, so both are checked and reloaded gracefully (open
// connections go on; new ones get the new certificate).
import { safeToken } from '../platform/render.js';

/** A comment line naming the certificate in use, or none when not known (render-only, older specs). */
export function certificateNote(spec: { certificate?: string | null }): Array<[string, string]> {
  if (!spec.certificate) return [];
  return [['# certificate: ', safeToken('certificate', spec.certificate, /^(?:[0-9a-f]{64}|self-signed)$/)]];
}
