/**
 * Checklist templates: the shipped and saved ones with their versions, and the YAML editor (loaded on demand:
 * Monaco is large) to make a lab's own version from a copy. Saved versions become selectable for new sessions.
 */
import type React from 'react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api-client';
import { useAsync } from '../workbench-state';
import { loc } from './checklist-state';

const TemplateEditor = lazy(() => import('./TemplateEditor'));

export function TemplatesPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [list, reload] = useAsync(async () => {
    const o = await api.call('checklist.templates', {});
    return o.ok ? o.value : undefined;
  }, []);
  const [editing, setEditing] = useState<{ id: string; version: string } | null>(null);
  return (
    <section className="page templates-page">
      <h1>{t('templates.title')}</h1>
      <p className="muted">{t('templates.intro')}</p>
      <table className="grid" data-testid="template-list">
        <thead><tr><th>{t('templates.col.id')}</th><th>{t('templates.col.version')}</th><th>{t('templates.col.title')}</th><th>{t('templates.col.items')}</th><th>{t('templates.col.origin')}</th><th /></tr></thead>
        <tbody>
          {(list ?? []).map((x) => (
            <tr key={`${x.id}@${x.version}`} data-template={`${x.id}@${x.version}`}>
              <td className="mono">{x.id}</td>
              <td className="mono">{x.version}</td>
              <td>{loc(x.title, i18n.language)}</td>
              <td>{x.items}</td>
              <td>{t(`checklist.origin.${x.origin}`)}{x.savedAt ? <div className="muted small">{new Date(x.savedAt).toLocaleString()}</div> : null}</td>
              <td><button onClick={() => setEditing({ id: x.id, version: x.version })} data-testid="template-copy">{t('templates.copy')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <Suspense fallback={<p className="muted">{t('templates.loadingEditor')}</p>}>
          <TemplateEditor from={editing} onSaved={() => reload()} />
        </Suspense>
      )}
    </section>
  );
}
