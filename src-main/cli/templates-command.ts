/**
 * `apprights templates`: the checklist templates, shipped and saved, without loading the checklist engine.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inlineParser } from '../core/checklist/template-parser.js';
import { TemplateStore } from '../core/checklist/template-store.js';
import { defaultDataDir } from '../core/data-dir.js';
import { language, say } from './cli-language.js';
import { text } from './cli-text.js';
import { column, own, tty } from './terminal-guard.js';

export async function templatesCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
  const list = await new TemplateStore(resolve(values['data-dir'] ?? defaultDataDir()), { parser: inlineParser() }).list();
  if (values.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  // Saved templates are files a user may have been sent: their id, version and title are guarded values.
  else for (const t of list) process.stdout.write(tty`${column(t.id, 24)} ${column(t.version, 8)} ${column(t.origin, 8)} ${own(say(text.items(t.items)))}  ${language() === 'zh-CN' ? t.title.zh : t.title.en}\n`);
}
