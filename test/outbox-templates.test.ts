// The registry of the platform's message templates (src/outbox/templates.ts): every capability's
// template is defined once the routes are loaded, the API lists exactly those, a name is defined once,
// and a stored message of a template nobody defines is refused rather than sent or shown as another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import '../src/routes.js';
import { defineTemplate, describedTemplateName, templateOf } from '../src/outbox/templates.js';
import { carriesLink, paramsOf } from '../src/outbox/render-message.js';

const ALL = ['activation', 'dunning', 'invitation', 'invoice', 'password_reset', 'receipt', 'service_end', 'work_notice'];

test('every template is defined by its capability, and the API lists exactly those', () => {
  const schema = z.toJSONSchema(describedTemplateName(), { io: 'output', unrepresentable: 'any' }) as { enum: string[]; description: string };
  assert.deepEqual(schema.enum, ALL);
  assert.match(schema.description, /dunning \(a reminder, suspension or termination of an unpaid invoice, or its suspension lifted\)/);
  assert.equal(describedTemplateName().safeParse('nope').success, false);
  for (const name of ALL) assert.equal(templateOf(name).name, name);
  assert.deepEqual(ALL.filter((n) => !carriesLink(n as never)), ['work_notice']);
});

test('a name is defined once; a template nobody defines is refused', () => {
  assert.throws(() => defineTemplate({ name: 'invoice', params: z.object({}), about: '', body: () => ({ subject: '', before: [], action: '', after: [] }) }), /defined twice/);
  assert.throws(() => defineTemplate({ name: 'x_both', params: z.object({}), about: '' }), /one of them/);
  assert.throws(() => templateOf('welcome'), /unknown message template "welcome"/);
  assert.throws(() => paramsOf('password_reset', { email: 'a@example.test' })); // its parameters are checked
});
