// Golden files of the platform's messages (test/golden/outbox/<case>/input.json: template, locale,
// params, link → subject.txt, body.txt, body.html), French and English; a customer's name with
// markup stays text in the HTML.
import { goldenTests } from './harness/golden.js';
import { renderMessage, type Locale, type Template } from '../src/outbox/render-message.js';
import '../src/accounts/render-messages.js'; // the accounts' templates (billing's come with render-message.ts)

interface Input { template: Template; locale: Locale; params: never; link: string }

goldenTests('outbox', (i: Input) => {
  const m = renderMessage(i.template, i.params, i.locale, i.link);
  return [
    { path: 'subject.txt', content: `${m.subject}\n`, mode: 0o644 },
    { path: 'body.txt', content: m.text, mode: 0o644 },
    { path: 'body.html', content: m.html, mode: 0o644 },
  ];
});
