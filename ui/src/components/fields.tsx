// Labelled controls bound to the enclosing <Form>: each shows its hint and its error, linked with
// aria-describedby, and marks itself invalid.
import { useId, type ReactNode } from 'react';
import { useFormState } from './form.js';
import { Say, type Phrase } from '../i18n/i18n.js';

interface FieldProps {
  name: string;
  label: string;
  hint?: ReactNode;
}

function useField(name: string) {
  const form = useFormState();
  const id = useId();
  const error = form.errors[name] as Phrase | undefined;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { form, id, error, describedBy, value: form.values[name] };
}

function Frame({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: Phrase; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      <div id={`${id}-hint`} className="hint">{hint}</div>
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid="field-error">
          <Say phrase={error} />
        </p>
      )}
    </div>
  );
}

export function TextField(p: FieldProps & { type?: string; autoComplete?: string; required?: boolean; inputMode?: 'numeric' | 'email' | 'text'; placeholder?: string }) {
  const { form, id, error, describedBy, value } = useField(p.name);
  return (
    <Frame id={id} label={p.label} hint={p.hint} error={error}>
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={String(value ?? '')}
        onChange={(e) => form.set(p.name, e.target.value)}
        autoComplete={p.autoComplete ?? 'off'}
        aria-required={p.required || undefined}
        aria-invalid={!!error || undefined}
        aria-describedby={describedBy}
        inputMode={p.inputMode}
        placeholder={p.placeholder}
      />
    </Frame>
  );
}

/** Several lines of text; `mono` for machine text (PEM blocks, DNS values): fixed width, no spell checking. */
export function TextArea(p: FieldProps & { rows?: number; mono?: boolean; required?: boolean }) {
  const { form, id, error, describedBy, value } = useField(p.name);
  return (
    <Frame id={id} label={p.label} hint={p.hint} error={error}>
      <textarea id={id} name={p.name} rows={p.rows ?? 3} value={String(value ?? '')} onChange={(e) => form.set(p.name, e.target.value)}
        className={p.mono ? 'mono' : undefined} spellCheck={p.mono ? false : undefined} autoCapitalize={p.mono ? 'off' : undefined}
        aria-required={p.required || undefined} aria-invalid={!!error || undefined} aria-describedby={describedBy} />
    </Frame>
  );
}

export interface Option {
  value: string;
  label: string;
  disabled?: boolean;
}

export function SelectField(p: FieldProps & { options: Option[] }) {
  const { form, id, error, describedBy, value } = useField(p.name);
  return (
    <Frame id={id} label={p.label} hint={p.hint} error={error}>
      <select id={id} name={p.name} value={String(value ?? '')} onChange={(e) => form.set(p.name, e.target.value)}
        aria-invalid={!!error || undefined} aria-describedby={describedBy}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>{o.label}</option>
        ))}
      </select>
    </Frame>
  );
}

export function CheckboxField(p: FieldProps) {
  const { form, id, error, describedBy, value } = useField(p.name);
  return (
    <div className={`field field-checkbox${error ? ' field-invalid' : ''}`}>
      <input id={id} name={p.name} type="checkbox" checked={!!value} onChange={(e) => form.set(p.name, e.target.checked)}
        aria-invalid={!!error || undefined} aria-describedby={describedBy} />
      <label htmlFor={id}>{p.label}</label>
      <div id={`${id}-hint`} className="hint">{p.hint}</div>
      {error && <p id={`${id}-error`} className="field-error" data-testid="field-error"><Say phrase={error} /></p>}
    </div>
  );
}

/** Radio buttons with a plain-words explanation under each choice. */
export function ChoiceField(p: FieldProps & { options: Array<Option & { explanation: string }> }) {
  const { form, id, error, describedBy, value } = useField(p.name);
  return (
    <fieldset className={`field field-choices${error ? ' field-invalid' : ''}`} aria-describedby={describedBy}>
      <legend>{p.label}</legend>
      {p.options.map((o) => (
        <div key={o.value} className="choice">
          <input id={`${id}-${o.value}`} type="radio" name={p.name} value={o.value} checked={value === o.value} disabled={o.disabled}
            onChange={() => form.set(p.name, o.value)} aria-describedby={`${id}-${o.value}-explain`} />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          <p id={`${id}-${o.value}-explain`} className="hint">{o.explanation}</p>
        </div>
      ))}
      <div id={`${id}-hint`} className="hint">{p.hint}</div>
      {error && <p id={`${id}-error`} className="field-error" data-testid="field-error"><Say phrase={error} /></p>}
    </fieldset>
  );
}

/** Several choices ticked from a list (the databases a user may use): the value is the list of ticked values. */
export function ChecklistField(p: FieldProps & { options: Option[]; empty?: string }) {
  const { form, id, error, describedBy, value } = useField(p.name);
  const ticked = (value as string[] | undefined) ?? [];
  const toggle = (v: string, on: boolean) => form.set(p.name, on ? [...ticked, v] : ticked.filter((x) => x !== v));
  return (
    <fieldset className={`field field-choices${error ? ' field-invalid' : ''}`} aria-describedby={describedBy}>
      <legend>{p.label}</legend>
      {p.options.length === 0 && p.empty && <p className="hint">{p.empty}</p>}
      {p.options.map((o) => (
        <div key={o.value} className="field-checkbox">
          <input id={`${id}-${o.value}`} type="checkbox" checked={ticked.includes(o.value)} disabled={o.disabled} onChange={(e) => toggle(o.value, e.target.checked)} />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      <div id={`${id}-hint`} className="hint">{p.hint}</div>
      {error && <p id={`${id}-error`} className="field-error" data-testid="field-error"><Say phrase={error} /></p>}
    </fieldset>
  );
}
