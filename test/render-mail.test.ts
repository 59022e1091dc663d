// Golden-file tests of the mail renderers (test/golden/postfix/, dovecot/, quota-warning/, rspamd/).
import { goldenTests } from './harness/golden.js';
import { renderPostfix, type MailNodeSpec } from '../src/mail/render-postfix.js';
import { renderDovecot } from '../src/mail/render-dovecot.js';
import { renderQuotaWarning, type QuotaWarningSpec } from '../src/mail/render-quota-warning.js';
import { renderRspamd, type RspamdSpec } from '../src/mail/render-rspamd.js';

goldenTests('postfix', (input: MailNodeSpec) => renderPostfix(input));
goldenTests('dovecot', (input: MailNodeSpec) => renderDovecot(input));
goldenTests('quota-warning', (input: QuotaWarningSpec) => renderQuotaWarning(input));
goldenTests('rspamd', (input: RspamdSpec) => renderRspamd(input));
