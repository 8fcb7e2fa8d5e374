/**
 * Template parsing off the workbench's thread. Parsing and checking a valid 1 MiB template (500 items) takes
 * 0.4-1.3 s on a busy 2-core machine, and hostile YAML of the same size (half a million one-character items in
 * a flow sequence) 3-8 s and ~460 MB of heap: too much for the thread that serves every other call. So texts are read by one
 * worker thread, one at a time, each under a deadline and a heap limit: past either, the thread is ended and
 * the template refused (template.invalid), and the next text gets a fresh thread.
 * From the sources without a build (no template-thread.js) texts are parsed inline, without the deadline.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WorkbenchError } from '../errors.js';
import { yamlError } from '../yaml-file.js';
import { parseTemplate, type LoadedTemplate } from './load-template.js';
import type { ParseReply, ParseRequest } from './template-thread.js';

/**
 * A template the thread has not read in this long (from the hand-over to a loaded thread) is refused. Wall-clock
 * time, so it leaves room for a machine busy with other work: a valid 1 MiB template took 0.6-2 s in the thread
 * at a load average of 7-14 on 2 cores.
 */
export const PARSE_DEADLINE_MS = 10_000;
/** A thread loads in ~50-150 ms idle, over a second on a busy machine; one that has not in this long never will. */
const START_DEADLINE_MS = 30_000;
/**
 * The thread's heap. A valid 1 MiB template peaks under 50 MB, the densest valid one we built (500 items, every
 * list full: 256,000 YAML tokens in 395 KB) ~100 MB; the flow sequence above needs ~460 MB and is refused.
 */
const THREAD_HEAP_MB = 256;
/** An idle thread is ended after this long (it holds its heap: tens of MB). */
const IDLE_MS = 30_000;

/** Problem texts of the refusals made here (the renderer translates them). */
export const TOO_SLOW = 'too complex to read in time';
export const TOO_BIG = 'too much memory to read';

export interface TemplateParser {
  parse(text: string, file: string): Promise<LoadedTemplate>;
  /** Ends the thread, if one runs. */
  close(): Promise<void>;
}

/** A template refused for what reading it costs; `problem` stays exactly TOO_SLOW or TOO_BIG for the renderer. */
function refusal(file: string, problem: string, limit: string): WorkbenchError {
  return new WorkbenchError('template.invalid', `${file}: ${problem} (${limit}); simplify it or split it into smaller templates`, { file, line: null, column: null, field: '', problem });
}

/** Parsing on the caller's thread: for callers with nothing else to serve meanwhile. */
export function inlineParser(): TemplateParser {
  return { parse: async (text, file) => parseTemplate(text, file), close: async () => {} };
}

/** The built thread script: beside the bundle, or in the project's out/main when running from the sources. */
export function templateThreadFile(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(dir, 'template-thread.js'), join(dir, '..', 'template-thread.js')];
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'out', 'main', 'template-thread.js'));
    dir = dirname(dir);
  }
  return candidates.find((c) => existsSync(c)) ?? null;
}

interface Job {
  id: number;
  text: string;
  file: string;
  resolve: (t: LoadedTemplate) => void;
  reject: (err: Error) => void;
}

/** Parsing in a worker thread under a deadline; inline when the thread script is not built. */
export function threadParser(o: { deadlineMs?: number } = {}): TemplateParser {
  const script = templateThreadFile();
  return script ? new ThreadParser(script, o.deadlineMs ?? PARSE_DEADLINE_MS) : inlineParser();
}

class ThreadParser implements TemplateParser {
  private worker: Worker | null = null;
  private ready = false;
  private queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout } | null = null;
  private idle: NodeJS.Timeout | null = null;
  private nextId = 0;

  constructor(private script: string, private deadlineMs: number) {}

  parse(text: string, file: string): Promise<LoadedTemplate> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.nextId, text, file, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const closing = new WorkbenchError('internal', 'The workbench is closing', {});
    for (const job of this.queue.splice(0)) job.reject(closing);
    const worker = this.discard();
    if (this.current) this.finish(this.current.job.id, closing);
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || !this.queue.length) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    // A fresh thread says when it has loaded (~50-150 ms idle, over a second on a busy machine); then this runs again.
    if (!this.worker) this.start();
    if (!this.ready) return;
    const worker = this.worker!;
    const job = this.queue.shift()!;
    worker.ref();
    const timer = setTimeout(() => {
      void this.discard()?.terminate();
      this.finish(job.id, refusal(job.file, TOO_SLOW, `${this.deadlineMs / 1000} s`));
    }, this.deadlineMs);
    this.current = { job, timer };
    worker.postMessage({ id: job.id, text: job.text, file: job.file } satisfies ParseRequest);
  }

  private start(): Worker {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
    // A thread that has not loaded in this long is given up, with the texts waiting for it.
    const starting = setTimeout(() => {
      void worker.terminate();
      ended(new Error(`it did not load within ${START_DEADLINE_MS / 1000} s`));
    }, START_DEADLINE_MS);
    worker.on('message', (m: ParseReply) => {
      if (this.worker !== worker) return;
      if ('ready' in m) {
        clearTimeout(starting);
        this.ready = true;
        return this.pump();
      }
      const job = this.current?.job;
      if (!job || m.id !== job.id) return;
      if ('error' in m) this.finish(m.id, new WorkbenchError(m.error.code, m.error.message, m.error.details));
      else this.finish(m.id, { template: m.template, sha256: m.sha256, text: job.text });
    });
    // Out of heap (ERR_WORKER_OUT_OF_MEMORY) or anything else that ends the thread: the text in hand is refused.
    const ended = (err: Error | null): void => {
      clearTimeout(starting);
      if (this.worker !== worker) return;
      const started = this.ready;
      this.discard();
      if (!started) {
        // It never loaded (a broken build, a machine too busy): the texts waiting are refused, the next starts afresh.
        const cannot = new WorkbenchError('internal', `The template reader could not start: ${err?.message ?? 'it exited'}`, {});
        for (const queued of this.queue.splice(0)) queued.reject(cannot);
        return;
      }
      const job = this.current?.job;
      const outOfMemory = (err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (job) this.finish(job.id, outOfMemory ? refusal(job.file, TOO_BIG, `over ${THREAD_HEAP_MB} MB`) : yamlError('template.invalid', job.file, null, '', `the template reader stopped: ${err?.message ?? 'it exited'}`));
    };
    worker.on('error', ended);
    worker.on('exit', () => ended(null));
    this.worker = worker;
    this.ready = false;
    return worker;
  }

  /** Lets go of the thread (the caller ends it); the next text gets a fresh one. */
  private discard(): Worker | null {
    const worker = this.worker;
    this.worker = null;
    this.ready = false;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    return worker;
  }

  private finish(id: number, outcome: LoadedTemplate | Error): void {
    if (!this.current || this.current.job.id !== id) return;
    const { job, timer } = this.current;
    clearTimeout(timer);
    this.current = null;
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
    if (this.queue.length) return this.pump();
    // Idle: the thread no longer keeps the process alive, and ends after a while.
    const worker = this.worker;
    if (!worker) return;
    worker.unref();
    this.idle = setTimeout(() => void this.discard()?.terminate(), IDLE_MS);
    this.idle.unref();
  }
}
