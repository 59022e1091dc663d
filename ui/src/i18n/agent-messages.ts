// Messages the manager and agents write in English about provisioning: the known ones are shown
// in the reader's language; others (a tool's own error output) are shown as they are.
import type { I18n } from './i18n.js';
import type { MessageKey } from './catalog.js';

const known: Array<[RegExp, MessageKey]> = [
  [/^no web server: /, 'provisioning.noWebServer'],
  [/^render-only node: /, 'provisioning.renderOnlyNode'],
];

export function agentMessage(message: string, i18n: Pick<I18n, 't'>): string {
  for (const [re, key] of known) if (re.test(message)) return i18n.t(key);
  return message;
}
