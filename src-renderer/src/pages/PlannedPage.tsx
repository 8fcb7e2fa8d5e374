/** Pages whose capability is a later milestone: they say so plainly instead of pretending. */
import type React from 'react';
import { useTranslation } from 'react-i18next';

export function PlannedPage({ page }: { page: 'session' | 'evidence' }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t(`nav.${page}`)}</h1>
      <p className="planned">{t(`pages.${page}`)}</p>
      <p className="muted">{t('pages.notYet')}</p>
    </section>
  );
}
