// Golden-file tests of the mail renderers (test/golden/postfix/, test/golden/dovecot/, test/golden/rspamd/).
import { goldenTests } from './harness/golden.js';
import { renderPostfix, type MailNodeSpec } from '../src/mail/render-postfix.js';
import { renderDovecot } from '../src/mail/render-dovecot.js';
import { renderRspamd, type RspamdSpec } from '../src/mail/render-rspamd.js';

goldenTests('postfix', (input: MailNodeSpec) => renderPostfix(input));
goldenTests('dovecot', (input: MailNodeSpec) => renderDovecot(input));
goldenTests('rspamd', (input: RspamdSpec) => renderRspamd(input));
