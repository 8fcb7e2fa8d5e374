/**
 * Runs a parsed script against the simulated system's command table. It owns sequencing (`;`, `&&`, `||`),
 * redirections to /dev/null or the in-memory filesystem, and the few pipe targets hosts actually use
 * (grep, head, wc -l). Commands stream into an Output and respect its backpressure.
 */
import { CommandLineError, parseScript, type SimpleCommand } from './command-line.js';

export interface Output {
  write(data: string | Buffer): boolean;
  waitForDrain(): Promise<void>;
  /** Resolves when the reader went away (never, for outputs that cannot close). */
  whenClosed(): Promise<void>;
  readonly closed: boolean;
}

const never = new Promise<void>(() => {});

export interface CommandContext {
  argv: string[];
  env: Record<string, string>;
  out: Output;
  err: Output;
  stdin: Buffer | null;
}

export type CommandFn = (ctx: CommandContext) => Promise<number>;

export interface ShellHost {
  commands: Record<string, CommandFn>;
  readFile(path: string): Buffer | null;
  writeFile(path: string, data: Buffer, append: boolean): void;
}

export class NullOutput implements Output {
  closed = false;
  write(): boolean {
    return true;
  }
  async waitForDrain(): Promise<void> {}
  whenClosed(): Promise<void> {
    return never;
  }
}

export class BufferOutput implements Output {
  closed = false;
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private limit = 64 * 1024 * 1024) {}
  write(data: string | Buffer): boolean {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.size + buf.length > this.limit) {
      this.closed = true;
      return false;
    }
    this.parts.push(buf);
    this.size += buf.length;
    return true;
  }
  async waitForDrain(): Promise<void> {}
  whenClosed(): Promise<void> {
    return never;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A line-oriented pipe stage: grep, head -n, wc -l. */
class LineFilter implements Output {
  private partial = '';
  private done = false;
  private count = 0;

  constructor(
    private next: Output,
    private keep: (line: string) => boolean,
    private opts: { maxLines?: number; countOnly?: boolean } = {},
  ) {}

  get closed(): boolean {
    return this.done || this.next.closed;
  }

  write(data: string | Buffer): boolean {
    if (this.closed) return false;
    const text = this.partial + (typeof data === 'string' ? data : data.toString('utf8'));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    let ok = true;
    for (const line of lines) ok = this.emit(line) && ok;
    return ok && !this.closed;
  }

  waitForDrain(): Promise<void> {
    return this.next.waitForDrain();
  }

  whenClosed(): Promise<void> {
    return this.next.whenClosed();
  }

  finish(): void {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
    if (this.opts.countOnly) this.next.write(`${this.count}\n`);
    this.done = true;
  }

  private emit(line: string): boolean {
    if (this.done || !this.keep(line)) return true;
    this.count++;
    const ok = this.opts.countOnly ? true : this.next.write(line + '\n');
    if (this.opts.maxLines !== undefined && this.count >= this.opts.maxLines) this.done = true;
    return ok;
  }
}

function makeFilter(argv: string[], next: Output): LineFilter {
  const [name, ...args] = argv;
  if (name === 'grep') {
    let invert = false;
    let ignoreCase = false;
    let count = false;
    let fixed = false;
    let pattern: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-e') pattern = args[++i];
      else if (/^-[viEcFw]+$/.test(a)) {
        if (a.includes('v')) invert = true;
        if (a.includes('i')) ignoreCase = true;
        if (a.includes('c')) count = true;
        if (a.includes('F')) fixed = true;
      } else if (pattern === undefined) pattern = a;
    }
    if (pattern === undefined) throw new CommandLineError('grep: no pattern');
    const source = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern;
    let re: RegExp;
    try {
      re = new RegExp(source, ignoreCase ? 'i' : '');
    } catch {
      throw new CommandLineError(`grep: bad pattern ${pattern}`);
    }
    return new LineFilter(next, (line) => re.test(line) !== invert, { countOnly: count });
  }
  if (name === 'head') {
    const n = Number(args[0] === '-n' ? args[1] : args[0]?.replace(/^-/, '')) || 10;
    return new LineFilter(next, () => true, { maxLines: n });
  }
  if (name === 'wc' && args[0] === '-l') return new LineFilter(next, () => true, { countOnly: true });
  throw new CommandLineError(`${name ?? ''}: only grep, head and wc -l can follow a pipe here`);
}

export class ShellInterpreter {
  private env: Record<string, string> = {};

  constructor(private host: ShellHost) {}

  /** Runs one command line; returns the exit status of the last command run. */
  async run(line: string, out: Output, err: Output = out): Promise<number> {
    let steps;
    try {
      steps = parseScript(line);
    } catch (e) {
      err.write(`/system/bin/sh: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    let status = 0;
    for (const step of steps) {
      if (out.closed) break;
      if (step.join === '&&' && status !== 0) continue;
      if (step.join === '||' && status === 0) continue;
      status = await this.runPipeline(step.pipeline, out, err);
    }
    return status;
  }

  private async runPipeline(pipeline: SimpleCommand[], out: Output, err: Output): Promise<number> {
    const filters: LineFilter[] = [];
    let sink = out;
    try {
      for (let i = pipeline.length - 1; i >= 1; i--) {
        const f = makeFilter(pipeline[i]!.argv, sink);
        filters.unshift(f);
        sink = f;
      }
    } catch (e) {
      err.write(`/system/bin/sh: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const status = await this.runCommand(pipeline[0]!, sink, err);
    // Filters flush from the producer side towards the host.
    for (const f of filters) f.finish();
    return status;
  }

  private async runCommand(cmd: SimpleCommand, out: Output, err: Output): Promise<number> {
    const [name, ...rest] = cmd.argv;
    if (name === undefined) {
      Object.assign(this.env, cmd.env);
      return 0;
    }
    if (name === 'export') {
      for (const a of rest) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
        if (m) this.env[m[1]!] = m[2]!;
      }
      return 0;
    }
    let stdout: Output = out;
    let fileOut: { path: string; append: boolean; buffer: BufferOutput } | undefined;
    if (cmd.redirects.stdout) {
      if (cmd.redirects.stdout.path === '/dev/null') stdout = new NullOutput();
      else {
        fileOut = { ...cmd.redirects.stdout, buffer: new BufferOutput() };
        stdout = fileOut.buffer;
      }
    }
    let stderr: Output = err;
    const r = cmd.redirects.stderr;
    if (r === 'stdout') stderr = stdout;
    else if (r) stderr = new NullOutput();
    let stdin: Buffer | null = null;
    if (cmd.redirects.stdin && cmd.redirects.stdin !== '/dev/null') {
      stdin = this.host.readFile(cmd.redirects.stdin);
      if (!stdin) {
        err.write(`/system/bin/sh: can't open '${cmd.redirects.stdin}': No such file or directory\n`);
        return 1;
      }
    }
    const fn = this.host.commands[name];
    if (!fn) {
      stderr.write(`/system/bin/sh: ${name}: inaccessible or not found\n`);
      return 127;
    }
    let status: number;
    try {
      status = await fn({ argv: cmd.argv, env: { ...this.env, ...cmd.env }, out: stdout, err: stderr, stdin });
    } catch (e) {
      stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      status = 1;
    }
    if (fileOut) this.host.writeFile(fileOut.path, fileOut.buffer.bytes(), fileOut.append);
    return status;
  }
}
