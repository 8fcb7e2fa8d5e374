/**
 * Parses the command lines a host sends to `shell:` / `exec:` (adb CLI, adbkit, the workbench) into a
 * script: lists joined by `;`, `&&`, `||`, each a pipeline of simple commands with redirections.
 * It handles what real hosts send — single/double quotes, backslashes, `export X=...;`, `exec`, `X=Y cmd`,
 * `2>/dev/null`, `</dev/null`, `2>&1`, pipes — and nothing that needs a full POSIX shell (no expansion).
 */
export interface Redirects {
  stdin?: string;
  stdout?: { path: string; append: boolean };
  stderr?: { path: string; append: boolean } | 'stdout';
}

export interface SimpleCommand {
  argv: string[];
  env: Record<string, string>;
  redirects: Redirects;
}

export interface ScriptStep {
  /** How this step joins the previous one: run always, only on success, only on failure. */
  join: ';' | '&&' | '||';
  pipeline: SimpleCommand[];
}

type Token = { kind: 'word'; text: string } | { kind: 'op'; text: string };

const MAX_LINE = 64 * 1024;

export class CommandLineError extends Error {}

export function tokenize(line: string): Token[] {
  if (line.length > MAX_LINE) throw new CommandLineError('command line too long');
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = (): void => {
    if (inWord) tokens.push({ kind: 'word', text: word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new CommandLineError('unterminated single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j];
      }
      if (j >= line.length) throw new CommandLineError('unterminated double quote');
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      flush();
    } else if (c === '\n' || c === ';') {
      flush();
      tokens.push({ kind: 'op', text: ';' });
    } else if (c === '&' || c === '|') {
      flush();
      if (line[i + 1] === c) {
        tokens.push({ kind: 'op', text: c + c });
        i++;
      } else {
        tokens.push({ kind: 'op', text: c === '&' ? ';' : '|' });
      }
    } else if (c === '>' || c === '<') {
      // A bare fd number just before the operator belongs to it: 2>/dev/null, 2>&1.
      let fd = '';
      if (inWord && /^[0-9]$/.test(word)) {
        fd = word;
        word = '';
        inWord = false;
      }
      flush();
      let op = fd + c;
      if (c === '>' && line[i + 1] === '>') op += line[++i];
      if (line[i + 1] === '&') op += line[++i];
      tokens.push({ kind: 'op', text: op });
    } else {
      word += c;
      inWord = true;
    }
  }
  flush();
  return tokens;
}

export function parseScript(line: string): ScriptStep[] {
  const tokens = tokenize(line);
  const steps: ScriptStep[] = [];
  let join: ScriptStep['join'] = ';';
  let pipeline: SimpleCommand[] = [];
  let current: SimpleCommand = { argv: [], env: {}, redirects: {} };

  const endCommand = (): void => {
    if (current.argv.length || Object.keys(current.env).length) pipeline.push(current);
    current = { argv: [], env: {}, redirects: {} };
  };
  const endStep = (next: ScriptStep['join']): void => {
    endCommand();
    if (pipeline.length) steps.push({ join, pipeline });
    pipeline = [];
    join = next;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word') {
      const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(t.text);
      if (assign && current.argv.length === 0) current.env[assign[1]!] = assign[2]!;
      else current.argv.push(t.text);
      continue;
    }
    if (t.text === ';' || t.text === '&&' || t.text === '||') {
      endStep(t.text);
      continue;
    }
    if (t.text === '|') {
      endCommand();
      continue;
    }
    // Redirection: the next token is its target unless the operator ends in & (2>&1).
    if (t.text.endsWith('&')) {
      const target = tokens[++i];
      if (!target || target.kind !== 'word') throw new CommandLineError(`missing target after ${t.text}`);
      if (t.text.startsWith('2') && target.text === '1') current.redirects.stderr = 'stdout';
      continue;
    }
    const target = tokens[++i];
    if (!target || target.kind !== 'word') throw new CommandLineError(`missing file after ${t.text}`);
    const append = t.text.includes('>>');
    if (t.text.startsWith('<')) current.redirects.stdin = target.text;
    else if (t.text.startsWith('2')) current.redirects.stderr = { path: target.text, append };
    else current.redirects.stdout = { path: target.text, append };
  }
  endStep(';');
  // `exec cmd` replaces the shell with cmd: for us it is just cmd.
  for (const step of steps) {
    for (const cmd of step.pipeline) if (cmd.argv[0] === 'exec') cmd.argv.shift();
  }
  return steps;
}
