// Forms: values, submission, and the API's errors placed next to the field they concern
// (problem+json `errors[].path` like "body.domain" or "body.aliases.2").
import { createContext, useContext, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldMessage } from '../i18n/field-messages.js';
import { describeError } from './Notice.js';

export interface FormState<V extends Record<string, unknown>> {
  values: V;
  set<K extends keyof V>(name: K, value: V[K]): void;
  errors: Partial<Record<keyof V, string>>;
  formError: string | null;
  busy: boolean;
  /** runs the action; an ApiError becomes field errors (known fields) and a form error */
  submit(action: (values: V) => Promise<void>): (e?: FormEvent) => Promise<void>;
  reset(values: V): void;
}

export function useForm<V extends Record<string, unknown>>(initial: V): FormState<V> {
  const i18n = useI18n();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof V, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return {
    values,
    errors,
    formError,
    busy,
    set: (name, value) => {
      setValues((v) => ({ ...v, [name]: value }));
      setErrors((e) => ({ ...e, [name]: undefined }));
    },
    reset: (v) => {
      setValues(v);
      setErrors({});
      setFormError(null);
    },
    submit: (action) => async (e) => {
      e?.preventDefault();
      setBusy(true);
      setFormError(null);
      setErrors({});
      try {
        await action(values);
      } catch (err) {
        const byField: Partial<Record<keyof V, string>> = {};
        if (err instanceof ApiError) {
          for (const issue of err.errors) {
            const name = issue.path.split('.')[1] as keyof V | undefined;
            if (!name || !(name in values) || byField[name]) continue;
            const known = fieldMessage(issue.message, i18n.fmt);
            byField[name] = known ? i18n.t(known.key, known.vars) : issue.message;
          }
        }
        setErrors(byField);
        setFormError(Object.keys(byField).length ? i18n.t('form.fixFields') : describeError(err, i18n));
      } finally {
        setBusy(false);
      }
    },
  };
}

/** An error found before asking the API, shown like the API's own field errors. */
export const fieldError = (name: string, message: string) => new ApiError(400, 'form.invalid', '', [{ path: `body.${name}`, message }]);

const FormCtx = createContext<FormState<any> | null>(null);
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
    <FormCtx.Provider value={form}>
      <form className="form" onSubmit={form.submit(props.onSubmit)} noValidate aria-label={props.label}>
        {form.formError && (
          <div className="notice notice-error" role="alert" data-testid="form-error">
            {form.formError}
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
