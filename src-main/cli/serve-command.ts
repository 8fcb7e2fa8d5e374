/**
 * `apprights serve`: browser mode on 127.0.0.1 with a token; prints the URL and runs until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/data-dir.js';
import { builtRendererDir, startBrowserMode } from '../host/browser-mode.js';
import { VERSION, fail, intOption, waitForSignal } from './cli-support.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';

/** `mainDir`: the folder of the built cli.js, beside which the renderer is built. */
export async function serve(args: string[], mainDir: string): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, 'allow-local': { type: 'boolean' } } });
  const host = values.host ?? '127.0.0.1';
  const port = intOption(values.port, '--port', 0, 65535, 0);
  const rendererDir = builtRendererDir(mainDir);
  if (!existsSync(join(rendererDir, 'index.html'))) fail(say(text.rendererNotBuilt(rendererDir)));
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(say(text.servingOpenly(host)) + '\n');
  }
  const mode = await startBrowserMode({ dataDir: resolve(values['data-dir'] ?? defaultDataDir()), host, port, rendererDir, version: VERSION, allowLocalAddresses: values['allow-local'] ?? false });
  process.stdout.write(say(text.serving(mode.web.url)) + '\n');
  await waitForSignal();
  await mode.stop();
}

