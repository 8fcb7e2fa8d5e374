/**
 * An adb shell in xterm: line-based (each line runs as `shell:<line>` and its output is printed), with
 * history on the arrow keys. Output arrives with the phone's terminal control sequences already stripped.
 */
import type React from 'react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { api } from '../api-client';

export function ShellTab({ serial }: { serial: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const term = new Terminal({ convertEol: true, cursorBlink: true, fontSize: 13, scrollback: 5000, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current!);
    fit.fit();
    const prompt = (): void => term.write(`\x1b[32m${serial}\x1b[0m $ `);
    term.writeln(t('device.shell.hint'));
    prompt();
    let line = '';
    let running = false;
    const history: string[] = [];
    let cursor = 0;
    const replaceLine = (next: string): void => {
      term.write('\b \b'.repeat(line.length));
      line = next;
      term.write(line);
    };
    const sub = term.onData((data) => {
      if (running) return;
      if (data === '\r') {
        term.write('\r\n');
        const command = line.trim();
        line = '';
        if (!command) return prompt();
        history.push(command);
        cursor = history.length;
        running = true;
        void api.call('device.shell', { serial, command }).then((o) => {
          // The core strips the phone's control sequences; only our own prompt colours reach xterm.
          if (o.ok) term.write(o.value.output.endsWith('\n') || !o.value.output ? o.value.output : `${o.value.output}\n`);
          else term.write(`\x1b[31m${String(o.error.details.message ?? o.error.code).replace(/[\x00-\x1f\x7f-\x9f]/g, '')}\x1b[0m\r\n`);
          running = false;
          prompt();
        });
      } else if (data === '\x7f') {
        if (line.length) {
          line = line.slice(0, -1);
          term.write('\b \b');
        }
      } else if (data === '\x1b[A') {
        if (cursor > 0) replaceLine(history[--cursor]!);
      } else if (data === '\x1b[B') {
        if (cursor < history.length) replaceLine(history[++cursor] ?? '');
      } else if (data === '\x03') {
        line = '';
        term.write('^C\r\n');
        prompt();
      } else if (!data.startsWith('\x1b')) {
        const printable = data.replace(/[\x00-\x1f\x7f]/g, '');
        line += printable;
        term.write(printable);
      }
    });
    const onResize = (): void => fit.fit();
    window.addEventListener('resize', onResize);
    term.focus();
    return () => {
      sub.dispose();
      window.removeEventListener('resize', onResize);
      term.dispose();
    };
  }, [serial, t, i18n.language]);

  return <div className="terminal" ref={host} data-testid="shell-terminal" />;
}
