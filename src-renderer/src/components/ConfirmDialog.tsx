/**
 * A question before an action that cannot be undone (stopping a session): a modal <dialog>, so the browser
 * gives it the dialog role, keeps focus inside and sends Escape to it. The confirm button has the focus, so
 * Enter confirms; Escape or Cancel cancels. Keys pressed in it reach no page shortcut behind it (C, D, Alt+S…).
 */
import type React from 'react';
import { useEffect, useId, useRef } from 'react';

export interface ConfirmDialogProps {
  title: string;
  /** The question: words, or words with identifiers marked (a <Trans> with <code>). */
  body: React.ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}

export function ConfirmDialog({ title, body, confirmLabel, cancelLabel, onConfirm, onCancel, testId }: ConfirmDialogProps): React.JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (!d.open) d.showModal();
    confirm.current?.focus();
    return () => d.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={testId}
      // Escape: the browser's cancel event (the dialog would close itself; the owner decides instead).
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <form method="dialog" onSubmit={(e) => {
        e.preventDefault();
        onConfirm();
      }}>
        <h2 id={titleId}>{title}</h2>
        <p id={bodyId}>{body}</p>
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onCancel} data-testid={testId && `${testId}-cancel`}>{cancelLabel}</button>
          <button type="submit" ref={confirm} className="primary" data-testid={testId && `${testId}-confirm`}>{confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
