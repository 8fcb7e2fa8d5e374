// The shell tokenizer and interpreter handle what real hosts send (adb CLI, adbkit, the workbench).
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../../../src-main/core/virtual-device/shell/command-line.js';
import { BufferOutput, ShellInterpreter } from '../../../../src-main/core/virtual-device/shell/interpreter.js';

describe('parseScript', () => {
  it('unquotes what the adb CLI sends', () => {
    expect(parseScript(`export ANDROID_LOG_TAGS="''"; exec logcat '-d'`)).toEqual([
      { join: ';', pipeline: [{ argv: ['export', "ANDROID_LOG_TAGS=''"], env: {}, redirects: {} }] },
      { join: ';', pipeline: [{ argv: ['logcat', '-d'], env: {}, redirects: {} }] },
    ]);
    expect(parseScript(`pm 'install' '/data/local/tmp/a b.apk'`)[0]!.pipeline[0]!.argv).toEqual(['pm', 'install', '/data/local/tmp/a b.apk']);
    expect(parseScript(`'rm' '-f' '/data/local/tmp/x.apk' </dev/null`)[0]!.pipeline[0]).toEqual({ argv: ['rm', '-f', '/data/local/tmp/x.apk'], env: {}, redirects: { stdin: '/dev/null' } });
  });

  it('handles adbkit forms: 2>/dev/null, &&, pipes, escapes and env prefixes', () => {
    expect(parseScript('echo && logcat -B *:I 2>/dev/null')).toEqual([
      { join: ';', pipeline: [{ argv: ['echo'], env: {}, redirects: {} }] },
      { join: '&&', pipeline: [{ argv: ['logcat', '-B', '*:I'], env: {}, redirects: { stderr: { path: '/dev/null', append: false } } }] },
    ]);
    const piped = parseScript('dumpsys package com.x | grep -E "userId=|versionName" 2>&1');
    expect(piped[0]!.pipeline.map((c) => c.argv)).toEqual([['dumpsys', 'package', 'com.x'], ['grep', '-E', 'userId=|versionName']]);
    expect(piped[0]!.pipeline[1]!.redirects.stderr).toBe('stdout');
    expect(parseScript('A=1 B="two words" cmd a\\ b')[0]!.pipeline[0]).toEqual({ argv: ['cmd', 'a b'], env: { A: '1', B: 'two words' }, redirects: {} });
    expect(parseScript('false || echo yes')[1]!.join).toBe('||');
  });

  it('rejects what it cannot read instead of guessing', () => {
    expect(() => parseScript("echo 'open")).toThrow(/unterminated single quote/);
    expect(() => parseScript('echo "open')).toThrow(/unterminated double quote/);
    expect(() => parseScript('echo >')).toThrow(/missing file/);
    expect(() => parseScript('x'.repeat(70_000))).toThrow(/too long/);
  });
});

describe('ShellInterpreter', () => {
  const files = new Map<string, Buffer>();
  const shell = new ShellInterpreter({
    commands: {
      echo: async ({ argv, out }) => (out.write(argv.slice(1).join(' ') + '\n'), 0),
      lines: async ({ out }) => (out.write('alpha\nbeta\ngamma\nALPHA2\n'), 0),
      fail: async ({ err }) => (err.write('boom\n'), 1),
    },
    readFile: (p) => files.get(p) ?? null,
    writeFile: (p, d, append) => void files.set(p, append && files.has(p) ? Buffer.concat([files.get(p)!, d]) : d),
  });
  const run = async (line: string): Promise<[string, number]> => {
    const out = new BufferOutput();
    const status = await shell.run(line, out);
    return [out.bytes().toString(), status];
  };

  it('sequences with ; && || and reports unknown commands like toybox sh', async () => {
    expect(await run('fail && echo no; echo yes')).toEqual(['boom\nyes\n', 0]);
    expect(await run('fail || echo rescued')).toEqual(['boom\nrescued\n', 0]);
    expect(await run('nosuch')).toEqual(['/system/bin/sh: nosuch: inaccessible or not found\n', 127]);
    expect(await run('fail 2>/dev/null')).toEqual(['', 1]);
  });

  it('pipes into grep (-v -i -c -E), head -n and wc -l', async () => {
    expect((await run('lines | grep -i alpha'))[0]).toBe('alpha\nALPHA2\n');
    expect((await run('lines | grep -v a'))[0]).toBe('ALPHA2\n');
    expect((await run('lines | grep -c -E "^(beta|gamma)$"'))[0]).toBe('2\n');
    expect((await run('lines | head -n 2'))[0]).toBe('alpha\nbeta\n');
    expect((await run('lines | wc -l'))[0]).toBe('4\n');
    expect((await run('lines | sort'))[0]).toMatch(/only grep, head and wc -l/);
  });

  it('redirects into files and reads stdin', async () => {
    await run('echo one > /sdcard/a.txt');
    await run('echo two >> /sdcard/a.txt');
    expect(files.get('/sdcard/a.txt')!.toString()).toBe('one\ntwo\n');
    expect((await run('echo x < /missing'))[1]).toBe(1);
  });
});
