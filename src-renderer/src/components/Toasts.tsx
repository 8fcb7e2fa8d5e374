/** Error and info toasts: each error in the user's language with what to do; Escape dismisses the newest. */
import type React from 'react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { dismissToast, useToasts } from '../workbench-state';
import { errorText } from '../error-text';

export function Toasts(): React.JSX.Element {
  const { t } = useTranslation();
  const toasts = useToasts();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && toasts.length) dismissToast(toasts[toasts.length - 1]!.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toasts]);
  return (
    <div className="toasts" aria-live="assertive">
      {toasts.map((toast) => (
        <div key={toast.id} className={toast.error ? 'toast error' : 'toast'} role={toast.error ? 'alert' : 'status'} data-testid="toast">
          <span>{toast.error ? errorText(toast.error, t) : toast.key ? t(toast.key, toast.values) : toast.message}</span>
          <button onClick={() => dismissToast(toast.id)} aria-label={t('toast.dismiss')}>×</button>
        </div>
      ))}
    </div>
  );
}
