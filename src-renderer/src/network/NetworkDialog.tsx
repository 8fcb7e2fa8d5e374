/**
 * The shell of the network set-up dialogs (start capture, install the session CA): a modal <dialog>, as
 * ConfirmDialog is, so focus stays inside and Escape closes it; keys pressed in it reach no page shortcut.
 */
import type React from 'react';
import { useEffect, useId, useRef } from 'react';

export function NetworkDialog({ title, children, onClose, testId }: { title: string; children: React.ReactNode; onClose: () => void; testId: string }): React.JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={dialog} className="network-dialog" aria-labelledby={titleId} data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => e.stopPropagation()}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
