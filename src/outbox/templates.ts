// What capabilities give the platform's e-mail: one definition per template (its parameters, what it
// is, its message in French and English). The outbox knows templates only through this registry, like
// the job runner knows kinds of jobs: a capability defines its templates in its own files
// (defineTemplate, when its module loads) and declares their parameters' types for queueMessage
// (`declare module '…/outbox/templates.js' { interface MessageTemplates { name: typeof params } }`).
import { z } from 'zod';

/** Every template's parameters (a zod schema), by name: each capability adds its own. */
export interface MessageTemplates {}
export type Template = keyof MessageTemplates & string;
export type MessageParams<T extends Template> = MessageTemplates[T] extends z.ZodTypeAny ? z.infer<MessageTemplates[T]> : never;
export type Locale = 'fr' | 'en';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** A message around one link: paragraphs (plain strings, escaped for HTML) before and after it, the link's words. */
export interface Body {
  subject: string;
  before: string[];
  action: string;
  after: string[];
}

export interface TemplateDef<P extends z.ZodTypeAny = z.ZodTypeAny, N extends string = string> {
  name: N;
  params: P;
  /** what it is (the API's description of the template field) */
  about: string;
  /** a message around its link, a secret sealed until sent */
  body?(p: z.infer<P>, l: Locale): Body;
  /** or the whole message, written by its capability: it carries no link, no secret */
  whole?(p: z.infer<P>, l: Locale): RenderedMessage;
}

/** "1 December 2026, 14:05 UTC" / "1 décembre 2026, 14:05 UTC" */
export function when(iso: string, locale: Locale): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${date}, ${time} UTC`;
}

const defs = new Map<string, TemplateDef>();

/** Adds a template (once, when its capability's module loads). */
export function defineTemplate<P extends z.ZodTypeAny, N extends string>(def: TemplateDef<P, N>): TemplateDef<P, N> {
  if (defs.has(def.name)) throw new Error(`message template ${def.name} defined twice`);
  if (!def.body === !def.whole) throw new Error(`message template ${def.name}: a body or a whole message, one of them`);
  defs.set(def.name, def as unknown as TemplateDef);
  return def;
}

/** A template by name; throws for a name no capability defined. */
export function templateOf(name: string): TemplateDef {
  const def = defs.get(name);
  if (!def) throw new Error(`unknown message template ${JSON.stringify(name)}`);
  return def;
}

const names = () => [...defs.keys()].sort() as [string, ...string[]];

/** The templates' names as a schema, read when first used (once the capabilities have defined theirs). */
export const templateName = () => z.lazy(() => z.enum(names()) as unknown as z.ZodType<Template>);

/** The same, described: every template with what it is. */
export const describedTemplateName = () =>
  z.lazy(() => (z.enum(names()) as unknown as z.ZodType<Template>).describe(names().map((n) => `${n}${defs.get(n)!.about ? ` (${defs.get(n)!.about})` : ''}`).join(' · ')));
