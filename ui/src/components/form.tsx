// Forms: values, submission, and the errors placed next to the field they concern — the API's
// (problem+json `errors[].path` like "body.domain" or "body.aliases.2", translated by `code` and
// `params`) and the form's own checks, all shown at once.
import { createContext, useContext, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type FieldIssue, type Params } from '../api/client.js';
import { issuePhrase, problemPhrase } from '../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../i18n/i18n.js';

export interface FormState<V extends Record<string, unknown>> {
  values: V;
  set<K extends keyof V>(name: K, value: V[K]): void;
  errors: Partial<Record<keyof V, Phrase>>;
  /** what the form as a whole says (a summary, or an error no field holds) */
  formErrors: Phrase[];
  busy: boolean;
  /** runs the form's checks, then the action; errors go next to their fields, all at once */
  submit(action: (values: V) => Promise<void>): (e?: FormEvent) => Promise<void>;
  reset(values: V): void;
}

export interface FormOptions<V> {
  /** the form's own checks, run before the action: every problem found, not only the first */
  validate?(values: V): FieldIssue[];
  /** the form field an API field is shown under, when their names differ */
  fieldOf?(apiField: string): keyof V | undefined;
}

/** An issue of one form field (the form's own check), shaped like the API's. */
export const issue = (field: string, code: string, params: Params = {}): FieldIssue => ({ path: `body.${field}`, code, message: code, params });

/** Issues found before asking the API, thrown like the API's own validation error. */
export const invalid = (issues: FieldIssue[]) => new ApiError(400, 'request.validation', '', issues);

export function useForm<V extends Record<string, unknown>>(initial: V, opts: FormOptions<V> = {}): FormState<V> {
  const i18n = useI18n();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof V, Phrase>>>({});
  const [formErrors, setFormErrors] = useState<Phrase[]>([]);
  const [busy, setBusy] = useState(false);

  const fieldOf = (path: string): keyof V | undefined => {
    const name = path.split('.')[1];
    if (!name) return undefined;
    const mapped = opts.fieldOf?.(name) ?? name;
    return mapped in values ? (mapped as keyof V) : undefined;
  };

  const show = (err: unknown) => {
    const byField: Partial<Record<keyof V, Phrase>> = {};
    const loose: Phrase[] = [];
    if (err instanceof ApiError) {
      for (const i of err.errors) {
        const field = fieldOf(i.path);
        if (field === undefined) loose.push(issuePhrase(i, i18n));
        else byField[field] ??= issuePhrase(i, i18n);
      }
    }
    setErrors(byField);
    const summary = Object.keys(byField).length ? [{ text: i18n.t('form.fixFields') }] : loose.length ? [] : [problemPhrase(err, i18n)];
    setFormErrors([...summary, ...loose]);
  };

  return {
    values,
    errors,
    formErrors,
    busy,
    set: (name, value) => {
      setValues((v) => ({ ...v, [name]: value }));
      setErrors((e) => ({ ...e, [name]: undefined }));
    },
    reset: (v) => {
      setValues(v);
      setErrors({});
      setFormErrors([]);
    },
    submit: (action) => async (e) => {
      e?.preventDefault();
      setBusy(true);
      setFormErrors([]);
      setErrors({});
      try {
        const found = opts.validate?.(values) ?? [];
        if (found.length) throw invalid(found);
        await action(values);
      } catch (err) {
        show(err);
      } finally {
        setBusy(false);
      }
    },
  };
}

const FormCtx = createContext<FormState<Record<string, unknown>> | null>(null);
export const useFormState = () => {
  const f = useContext(FormCtx);
  if (!f) throw new Error('field outside <Form>');
  return f;
};

export function Form<V extends Record<string, unknown>>(props: {
  form: FormState<V>;
  onSubmit(values: V): Promise<void>;
  submitLabel: string;
  children: ReactNode;
  actions?: ReactNode;
  label?: string;
}) {
  const { form } = props;
  const { t } = useI18n();
  return (
    <FormCtx.Provider value={form as unknown as FormState<Record<string, unknown>>}>
      <form className="form" onSubmit={form.submit(props.onSubmit)} noValidate aria-label={props.label}>
        {form.formErrors.length > 0 && (
          <div className="notice notice-error" role="alert" data-testid="form-error">
            {form.formErrors.map((p, i) => (
              <p key={i}><Say phrase={p} /></p>
            ))}
          </div>
        )}
        {props.children}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.busy}>
            {form.busy ? t('form.saving') : props.submitLabel}
          </button>
          {props.actions}
        </div>
      </form>
    </FormCtx.Provider>
  );
}
