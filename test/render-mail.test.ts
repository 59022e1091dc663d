// Golden-file tests of the mail renderers (test/golden/postfix/, test/golden/dovecot/, test/golden/quota-warning/).
import { goldenTests } from './harness/golden.js';
import { renderPostfix, type MailNodeSpec } from '../src/mail/render-postfix.js';
import { renderDovecot } from '../src/mail/render-dovecot.js';
import { renderQuotaWarning, type QuotaWarningSpec } from '../src/mail/render-quota-warning.js';

goldenTests('postfix', (input: MailNodeSpec) => renderPostfix(input));
goldenTests('dovecot', (input: MailNodeSpec) => renderDovecot(input));
goldenTests('quota-warning', (input: QuotaWarningSpec) => renderQuotaWarning(input));
