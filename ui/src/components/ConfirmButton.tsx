// A destructive action behind a confirmation dialog that names what will be lost.
import { useRef, useState, type ReactNode } from 'react';
import { problemPhrase } from '../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../i18n/i18n.js';

export function ConfirmButton(props: {
  label: string;
  /** what a screen reader hears when the visible label alone is ambiguous (a "Remove" button on every row) */
  accessibleLabel?: string;
  title: string;
  /** what will be lost, in plain words */
  children: ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<void>;
  danger?: boolean;
}) {
  const i18n = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Phrase | null>(null);
  const open = () => {
    setError(null);
    dialog.current?.showModal();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError(problemPhrase(e, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={props.danger !== false ? 'danger' : undefined} onClick={open} aria-label={props.accessibleLabel}>
        {props.label}
      </button>
      <dialog ref={dialog} className="confirm" aria-labelledby={undefined} aria-label={props.title}>
        <h2>{props.title}</h2>
        <div className="confirm-body">{props.children}</div>
        {error && <p className="notice notice-error" role="alert"><Say phrase={error} /></p>}
        <div className="form-actions">
          <button type="button" className={props.danger !== false ? 'danger' : 'primary'} onClick={confirm} disabled={busy}>
            {props.confirmLabel}
          </button>
          <button type="button" onClick={() => dialog.current?.close()} autoFocus>
            {i18n.t('action.cancel')}
          </button>
        </div>
      </dialog>
    </>
  );
}
