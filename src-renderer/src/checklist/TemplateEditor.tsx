/**
 * The template editor: Monaco with YAML validation, completion and hover from the format's JSON Schema, then
 * the workbench's own check (known evaluators, parameter types, unique ids) on "Check" and "Save", whose
 * error is shown with its line and column and marked in the text. The copy starts from a template with its id
 * suffixed and its version raised; every saved version is kept.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateProblem } from '../../../src-preload/checklist';
import { api } from '../api-client';
import { templateProblemText } from '../error-text';
import { pushToast } from '../workbench-state';
import { monaco, TEMPLATE_URI, applyTemplateSchema } from './monaco-setup';

/** The text of a copy: a lab id and a raised minor version, so it never collides with what it came from. */
function copyOf(text: string, id: string, version: string): string {
  const [major = '1', minor = '0'] = version.split('.');
  const copyId = id.endsWith('-lab') ? id : `${id}-lab`.slice(0, 64);
  return text.replace(/^id: .*$/m, `id: ${copyId}`).replace(/^version: .*$/m, `version: ${major}.${Number(minor) + 1}.0`);
}

export default function TemplateEditor({ from, onSaved }: { from: { id: string; version: string }; onSaved: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [problem, setProblem] = useState<TemplateProblem | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let disposed = false;
    void Promise.all([api.call('checklist.schema', {}), api.call('checklist.template', { id: from.id, version: from.version })]).then(([schema, template]) => {
      if (disposed || !host.current) return;
      if (!schema.ok || !template.ok) {
        pushToast({ error: !schema.ok ? schema.error : !template.ok ? template.error : null });
        return;
      }
      applyTemplateSchema(schema.value.schema);
      monaco.editor.getModel(TEMPLATE_URI)?.dispose();
      const model = monaco.editor.createModel(copyOf(template.value.text, from.id, from.version), 'yaml', TEMPLATE_URI);
      const dark = document.documentElement.dataset.theme === 'dark';
      editor.current = monaco.editor.create(host.current, { model, automaticLayout: true, minimap: { enabled: false }, tabSize: 2, theme: dark ? 'vs-dark' : 'vs', fontSize: 13, wordWrap: 'on', unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true }, ariaLabel: t('templates.editorLabel') });
      model.onDidChangeContent(() => setChecked(null));
    });
    return () => {
      disposed = true;
      editor.current?.getModel()?.dispose();
      editor.current?.dispose();
      editor.current = null;
    };
  }, [from.id, from.version, t]);

  const mark = (p: TemplateProblem | null): void => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, 'apprights', p && p.line ? [{ severity: monaco.MarkerSeverity.Error, message: p.message, startLineNumber: p.line, startColumn: p.column ?? 1, endLineNumber: p.line, endColumn: model.getLineMaxColumn(p.line) }] : []);
    if (p?.line) {
      editor.current?.revealLineInCenter(p.line);
      editor.current?.setPosition({ lineNumber: p.line, column: p.column ?? 1 });
    }
  };

  const check = async (): Promise<boolean> => {
    const text = editor.current?.getValue() ?? '';
    const o = await api.call('checklist.validate', { text });
    if (!o.ok) {
      pushToast({ error: o.error });
      return false;
    }
    setProblem(o.value.problem);
    mark(o.value.problem);
    setChecked(o.value.summary ? `${o.value.summary.id} ${o.value.summary.version} · ${t('templates.items', { count: o.value.summary.items })}` : null);
    return !o.value.problem;
  };

  const save = async (): Promise<void> => {
    setBusy(true);
    try {
      if (!(await check())) return;
      const o = await api.call('checklist.save', { text: editor.current?.getValue() ?? '' });
      if (!o.ok) {
        pushToast({ error: o.error });
        return;
      }
      pushToast({ error: null, message: t('templates.saved', { id: o.value.id, version: o.value.version }) });
      onSaved();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card template-editor" data-testid="template-editor">
      <div className="row">
        <h2>{t('templates.editing', { id: from.id, version: from.version })}</h2>
        <span className="spacer" />
        <button onClick={() => void check()} data-testid="template-check">{t('templates.check')}</button>
        <button className="primary" disabled={busy} onClick={() => void save()} data-testid="template-save">{t('templates.save')}</button>
      </div>
      <p className="muted small">{t('templates.editorHint')}</p>
      {problem && (
        <p className="bad" role="alert" data-testid="template-problem" data-line={problem.line ?? ''} data-column={problem.column ?? ''}>
          {problem.line ? t('templates.problemAt', { line: problem.line, column: problem.column ?? 1 }) : ''}{problem.field ? ` ${problem.field}: ` : ' '}{templateProblemText(problem.message, t)}
        </p>
      )}
      {checked && <p className="ok small" data-testid="template-ok">{t('templates.valid', { what: checked })}</p>}
      <div className="monaco-host" ref={host} data-testid="template-monaco" />
    </div>
  );
}
