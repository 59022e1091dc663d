// Golden-file tests of the mail renderers (test/golden/postfix/, dovecot/, quota-warning/, rspamd/, sieve/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goldenTests } from './harness/golden.js';
import { renderPostfix, type MailNodeSpec } from '../src/mail/render-postfix.js';
import { renderDovecot } from '../src/mail/render-dovecot.js';
import { renderQuotaWarning, type QuotaWarningSpec } from '../src/mail/render-quota-warning.js';
import { renderRspamd, type RspamdSpec } from '../src/mail/render-rspamd.js';
import { renderVacationScript, sieveString, type VacationSpec } from '../src/mail/render-sieve.js';

goldenTests('postfix', (input: MailNodeSpec) => renderPostfix(input));
goldenTests('dovecot', (input: MailNodeSpec) => renderDovecot(input));
goldenTests('quota-warning', (input: QuotaWarningSpec) => renderQuotaWarning(input));
goldenTests('rspamd', (input: RspamdSpec) => renderRspamd(input));
goldenTests('sieve', (input: VacationSpec) => [{ path: 'vacation.sieve', content: renderVacationScript(input), mode: 0o640 }]);

test('a Sieve string holds any customer text literally: it reads back the same and never ends early', () => {
  const unquote = (q: string) => {
    assert.ok(q.startsWith('"') && q.endsWith('"'), q);
    const inner = q.slice(1, -1);
    // every `"` inside is escaped, and every `\` escapes the next character
    assert.doesNotMatch(inner.replace(/\\[\\"]/g, ''), /["\\]/, q);
    return inner.replace(/\\([\\"])/g, '$1');
  };
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '"', '\\', ';', '\n', ' ', '}', 'é', 'discard', '\\"') }), (s) => unquote(sieveString(s)) === s), { numRuns: 500 });
  assert.equal(sieveString('"; discard; "'), '"\\"; discard; \\""');
});
