/**
 * The log view: xterm with lines coloured by level, filtered by app, minimum level and tags, searchable
 * (text or regex), pausable. Batches go to xterm as they arrive (xterm paints once a frame) and scrollback is bounded; on a filter
 * change the view is redrawn from a bounded in-memory ring. Device text is stripped of control sequences
 * by the core before it gets here, and once more here so nothing can reach xterm's parser.
 */
import type React from 'react';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import '@xterm/xterm/css/xterm.css';
import type { LogLineView } from '../../../src-preload/api';

export interface LogFilter {
  appOnly: boolean;
  minLevel: LogLineView['priority'];
  tags: string[];
}

export interface LogTerminalHandle {
  append(lines: LogLineView[]): void;
  note(text: string): void;
  clear(): void;
  find(text: string, regex: boolean, backwards?: boolean): boolean;
}

const RING = 20_000;
const LEVELS = ['V', 'D', 'I', 'W', 'E', 'F', 'S'];
const COLOURS: Record<string, string> = { V: '90', D: '36', I: '32', W: '33', E: '31', F: '35', S: '90' };
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');

function format(l: LogLineView): string {
  const d = new Date(l.time);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  return `\x1b[90m${time}\x1b[0m ${String(l.pid).padStart(5)} \x1b[${COLOURS[l.priority] ?? '0'}m${l.priority} ${clean(l.tag)}\x1b[0m: ${clean(l.message)}\r\n`;
}

function passes(l: LogLineView, f: LogFilter): boolean {
  if (f.appOnly && !l.app) return false;
  if (LEVELS.indexOf(l.priority) < LEVELS.indexOf(f.minLevel)) return false;
  return !f.tags.length || f.tags.includes(l.tag);
}

export const LogTerminal = forwardRef<LogTerminalHandle, { filter: LogFilter; paused: boolean }>(function LogTerminal({ filter, paused }, ref): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const ring = useRef<LogLineView[]>([]);
  const queue = useRef<string[]>([]);
  const frame = useRef<number | null>(null);
  const state = useRef({ filter, paused });
  state.current = { filter, paused };

  const flush = (): void => {
    frame.current = null;
    if (state.current.paused || !queue.current.length) return;
    term.current?.write(queue.current.join(''));
    queue.current = [];
  };
  const schedule = (): void => {
    frame.current ??= requestAnimationFrame(flush);
  };

  useImperativeHandle(ref, () => ({
    append(lines) {
      ring.current.push(...lines);
      if (ring.current.length > RING) ring.current.splice(0, ring.current.length - RING);
      for (const l of lines) if (passes(l, state.current.filter)) queue.current.push(format(l));
      // A paused view keeps only what fits its scrollback.
      if (queue.current.length > 10_000) queue.current.splice(0, queue.current.length - 10_000);
      // Batches arrive at most once a frame (the core batches per 16 ms): hand them to xterm now, which
      // paints on its next frame. Waiting for a frame of our own first cost a frame of latency.
      if (frame.current) cancelAnimationFrame(frame.current);
      flush();
    },
    note(text) {
      queue.current.push(`\x1b[2m${clean(text)}\x1b[0m\r\n`);
      schedule();
    },
    clear() {
      ring.current = [];
      queue.current = [];
      term.current?.clear();
    },
    find(text, regex, backwards) {
      if (!search.current || !text) return false;
      const opts = { regex, caseSensitive: false, decorations: { matchOverviewRuler: '#e8590c', activeMatchColorOverviewRuler: '#e8590c', matchBackground: '#5c3d00', activeMatchBackground: '#e8590c' } };
      return backwards ? search.current.findPrevious(text, opts) : search.current.findNext(text, opts);
    },
  }));

  useEffect(() => {
    const t = new Terminal({ convertEol: false, scrollback: 10_000, fontSize: 12, disableStdin: true, allowProposedApi: true, fontFamily: 'ui-monospace, Menlo, Consolas, monospace, "AppRights CJK"' });
    const fit = new FitAddon();
    const s = new SearchAddon();
    t.loadAddon(fit);
    t.loadAddon(s);
    t.open(host.current!);
    fit.fit();
    term.current = t;
    search.current = s;
    const onResize = (): void => fit.fit();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      if (frame.current) cancelAnimationFrame(frame.current);
      t.dispose();
      term.current = null;
    };
  }, []);

  // A filter change redraws from the ring; resuming writes what queued while paused.
  useEffect(() => {
    const t = term.current;
    if (!t) return;
    t.clear();
    t.write('\x1b[2J\x1b[H');
    queue.current = ring.current.filter((l) => passes(l, filter)).slice(-5000).map(format);
    schedule();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter.appOnly, filter.minLevel, filter.tags.join(',')]);

  useEffect(() => {
    if (!paused) schedule();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paused]);

  return <div className="terminal log-terminal" ref={host} data-testid="log-terminal" />;
});
