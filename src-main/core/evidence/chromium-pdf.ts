/**
 * Prints a page to PDF with the tester's Chromium (or Chrome, or Edge) over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: no port is opened): Page.printToPDF takes the header and footer templates that
 * `chromium --print-to-pdf` cannot. A fresh profile in a temporary folder, a bounded time, and the browser is
 * stopped whatever happens. Used by browser mode and the CLI; Electron prints with its own window instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { WorkbenchError } from '../errors.js';
import { findChromium } from './chromium-path.js';
import type { PdfPrinter, PrintJob } from './report-pdf.js';

/** A report of 5,000 events prints in seconds; a browser that takes longer than this is stopped. */
const PRINT_TIMEOUT_MS = 120_000;
/** Largest DevTools message accepted (the PDF arrives base64 in one). */
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

export const NO_CHROMIUM = {
  en: 'No Chromium, Chrome or Edge was found to print the PDF. Install one (Debian/Ubuntu: sudo apt install chromium; Windows has Edge), or name it with --chromium PATH or the APPRIGHTS_CHROMIUM environment variable; or open report.html from the package in a browser and print it to PDF',
  zh: '未找到可生成 PDF 的 Chromium、Chrome 或 Edge。请安装其一（Debian/Ubuntu：sudo apt install chromium；Windows 自带 Edge），或用 --chromium 路径、环境变量 APPRIGHTS_CHROMIUM 指定；也可在浏览器中打开证据包中的 report.html 并打印为 PDF',
};

interface Reply { id?: number; method?: string; sessionId?: string; result?: Record<string, unknown>; error?: { message: string }; params?: Record<string, unknown> }

/** The tester's browser as a PdfPrinter; `given`: a path the tester named. Throws evidence.no-chromium when none. */
export function chromiumPrinter(given: string | null = null): PdfPrinter {
  const executable = findChromium(given);
  if (!executable) throw new WorkbenchError('evidence.no-chromium', NO_CHROMIUM.en, { message: NO_CHROMIUM.en, zh: NO_CHROMIUM.zh, given });
  return (job) => printWith(executable, job);
}

async function printWith(executable: string, job: PrintJob): Promise<Buffer> {
  const profile = mkdtempSync(join(tmpdir(), 'apprights-chromium-'));
  const root = process.platform === 'linux' && process.getuid?.() === 0;
  const child = spawn(executable, [
    '--headless', '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--disable-gpu',
    '--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--mute-audio',
    // Chromium refuses to run as root with its sandbox; the page printed is our own report under a no-script CSP.
    ...(root ? ['--no-sandbox'] : []), 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 4000) stderr += c.toString('utf8');
  });
  const cdp = new DevToolsPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const exited = new Promise<never>((_, reject) => {
    child.on('error', (err) => reject(failed(`${executable} could not be started: ${err.message}`)));
    child.on('exit', (code, signal) => reject(failed(`${executable} stopped (${signal ?? `exit ${code}`}) before the PDF was printed${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`)));
  });
  exited.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failed(`${executable} did not print the PDF within ${PRINT_TIMEOUT_MS / 1000} s`)), PRINT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([exited, timeout, (async () => {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' }) as { targetId: string };
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true }) as { sessionId: string };
      await cdp.send('Page.enable', {}, sessionId);
      const loaded = cdp.once('Page.loadEventFired', sessionId);
      const nav = await cdp.send('Page.navigate', { url: job.url }, sessionId) as { errorText?: string };
      if (nav.errorText) throw failed(`the report could not be opened: ${nav.errorText}`);
      await loaded;
      await cdp.send('Runtime.evaluate', { expression: 'document.fonts.ready.then(() => document.fonts.size)', awaitPromise: true }, sessionId);
      const { data } = await cdp.send('Page.printToPDF', {
        printBackground: true, displayHeaderFooter: true, headerTemplate: job.headerTemplate, footerTemplate: job.footerTemplate,
        paperWidth: 8.27, paperHeight: 11.69, marginTop: 0.6, marginBottom: 0.6, marginLeft: 0.5, marginRight: 0.5, preferCSSPageSize: false,
      }, sessionId) as { data: string };
      await cdp.send('Browser.close', {}).catch(() => undefined);
      return Buffer.from(data, 'base64');
    })()]);
  } finally {
    clearTimeout(timer);
    // The profile is removed once the browser is gone (it writes there until it exits).
    await stopped(child, 5000);
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** Waits for the browser to exit after Browser.close; one that does not within `ms` is killed. */
async function stopped(child: ChildProcess, ms: number): Promise<void> {
  const exit = (): Promise<void> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([exit().then(() => false), new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  })]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exit();
  }
}

function failed(message: string): WorkbenchError {
  return new WorkbenchError('evidence.pdf-failed', message, { message });
}

/** DevTools protocol messages over Chromium's pipe: JSON, each ended by a NUL byte. */
class DevToolsPipe {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private waiters: Array<{ method: string; sessionId: string; resolve: () => void }> = [];
  private buffered: Buffer[] = [];
  private size = 0;

  constructor(private out: Writable, input: Readable) {
    input.on('data', (chunk: Buffer) => this.read(chunk));
    input.on('error', () => undefined);
    out.on('error', () => undefined);
  }

  send(method: string, params: Record<string, unknown>, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  once(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ method, sessionId, resolve }));
  }

  private read(chunk: Buffer): void {
    for (let at = chunk.indexOf(0), from = 0; ; at = chunk.indexOf(0, from)) {
      if (at === -1) {
        this.buffered.push(chunk.subarray(from));
        this.size += chunk.length - from;
        if (this.size > MAX_MESSAGE_BYTES) this.failAll(failed('the browser sent a message larger than 512 MiB'));
        return;
      }
      this.buffered.push(chunk.subarray(from, at));
      const text = Buffer.concat(this.buffered).toString('utf8');
      this.buffered = [];
      this.size = 0;
      from = at + 1;
      this.dispatch(text);
    }
  }

  private dispatch(text: string): void {
    let msg: Reply;
    try {
      msg = JSON.parse(text) as Reply;
    } catch {
      return;
    }
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(failed(`the browser refused ${msg.error.message}`));
      else p?.resolve(msg.result ?? {});
    } else if (msg.method) {
      const i = this.waiters.findIndex((w) => w.method === msg.method && w.sessionId === msg.sessionId);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
