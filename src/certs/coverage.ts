// Pure: which host names a certificate covers (exact names, and one-label wildcards *.example.org).

/** True when a certificate for `names` is valid for `host` (ASCII, lower-case). */
export function covers(names: string[], host: string): boolean {
  return names.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1)) && !host.slice(0, -(n.length - 1)).includes('.') && host.length > n.length - 1));
}

/** The hosts of `hosts` a certificate for `names` does not cover. */
export const uncovered = (names: string[], hosts: string[]) => hosts.filter((h) => !covers(names, h));
