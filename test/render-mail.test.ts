// Golden-file tests of the mail renderers (test/golden/postfix/, test/golden/dovecot/, test/golden/sieve/).
import { goldenTests } from './harness/golden.js';
import { renderPostfix, type MailNodeSpec } from '../src/mail/render-postfix.js';
import { renderDovecot } from '../src/mail/render-dovecot.js';
import { renderVacationScript, type VacationSpec } from '../src/mail/render-sieve.js';

goldenTests('postfix', (input: MailNodeSpec) => renderPostfix(input));
goldenTests('dovecot', (input: MailNodeSpec) => renderDovecot(input));
goldenTests('sieve', (input: VacationSpec) => [{ path: 'vacation.sieve', content: renderVacationScript(input), mode: 0o640 }]);
