/**
 * Monaco for the template editor, bundled locally (no CDN) and small: the editor core, its standard features,
 * YAML highlighting and monaco-yaml's schema validation, completion and hover. Workers are inlined (blob:
 * URLs, allowed by the CSP's worker-src) so they start the same from http:// in browser mode and from file://
 * in the Electron window. monaco-yaml 5 still creates its worker the pre-0.55 way (createData in a message);
 * the adapter below hands that worker to Monaco 0.57's createWebWorker({ worker }).
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/yaml/register';
import { configureMonacoYaml, type MonacoYaml } from 'monaco-yaml';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker&inline';
import YamlWorker from './yaml.worker?worker&inline';

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_moduleId: string, label: string): Worker {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

type LegacyWorkerOptions = { createData?: unknown; label?: string; moduleId?: string };

function withLegacyWorkers(m: typeof monaco): typeof monaco {
  const createWebWorker = ((opts: LegacyWorkerOptions & { worker?: Worker }) => {
    if (opts.worker) return monaco.editor.createWebWorker(opts as Parameters<typeof monaco.editor.createWebWorker>[0]);
    const worker = new YamlWorker();
    // monaco-worker-manager's worker script takes one message to start and the next as its createData.
    worker.postMessage('start');
    worker.postMessage(opts.createData);
    return monaco.editor.createWebWorker({ worker });
  }) as typeof monaco.editor.createWebWorker;
  return { ...m, editor: { ...m.editor, createWebWorker } } as typeof monaco;
}

export const TEMPLATE_URI = monaco.Uri.parse('file:///apprights/checklist-template.yaml');
let yaml: MonacoYaml | null = null;

/** Points the YAML language service at the template format's JSON Schema. */
export function applyTemplateSchema(schema: Record<string, unknown>): void {
  const options = { enableSchemaRequest: false, validate: true, completion: true, hover: true, format: { enable: true }, schemas: [{ uri: 'https://apprights.invalid/checklist-template.schema.json', fileMatch: [TEMPLATE_URI.toString()], schema: schema as never }] };
  if (yaml) yaml.update(options);
  else yaml = configureMonacoYaml(withLegacyWorkers(monaco), options);
}

export { monaco };
