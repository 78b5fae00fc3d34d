import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api';

interface Props {
  /** The dialog's id; its title is `<id>-title`. */
  id: string;
  title: string;
  open: boolean;
  onClose: () => void;
  /** Calls the API; resolves to the operation ARN it started (the page then shows it). */
  submit: () => Promise<string | undefined>;
  onDone: (operationArn: string | undefined) => void;
  onError: (e: unknown) => boolean;
  submitLabel: string;
  danger?: boolean;
  /** Disables the submit button (the form is incomplete). */
  blocked?: boolean;
  children: ReactNode;
}

/**
 * A modal form on the native <dialog> (focus kept inside, Escape closes). The API decides what is valid: its refusal
 * (type and message) is shown inside the dialog, which stays open, and nothing else changes.
 */
export function Dialog({ id, title, open, onClose, submit, onDone, onError, submitLabel, danger, blocked, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) { setError(undefined); d.showModal(); }
    if (!open && d.open) d.close();
  }, [open]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const arn = await submit();
      onDone(arn);
    } catch (err) {
      if (onError(err)) return;
      setError(err instanceof ApiError ? `${err.type}: ${err.message}` : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} id={id} aria-labelledby={`${id}-title`} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {error && <p className="error" role="alert" data-testid={`${id}-error`}>{error}</p>}
        <div className="actions">
          <button type="submit" className={danger ? 'danger' : undefined} disabled={busy || blocked}>{busy ? 'Working…' : submitLabel}</button>
          <button type="button" className="secondary" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
