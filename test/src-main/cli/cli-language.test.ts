/**
 * The CLI speaks the user's language: Chinese when the locale says so (LC_ALL, then LC_MESSAGES, then LANG) or
 * `--lang zh-CN`, English otherwise; an error is said in words (the core's catalogue), its code only in --json
 * output. And `--out` never replaces an existing package unless --force. Runs the built CLI (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOption, localeLanguage, takeLangOption } from '../../../src-main/cli/cli-language.js';
import { makeSession } from '../../support/evidence-fixtures.js';
import { startAdbServer, type TestAdbServer } from '../../support/adb-server.js';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');
const work = mkdtempSync(join(tmpdir(), 'cli-language-'));
const session = join(work, 'sessions', 's1');
const dataDir = join(work, 'data');
const good = join(work, 'good-passphrase');
const wrong = join(work, 'wrong-passphrase');

/** The environment without any locale of the machine running the tests, plus the one a case sets. */
function env(locale: Record<string, string> = {}, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e.LC_ALL;
  delete e.LC_MESSAGES;
  delete e.LANG;
  return { ...e, ...locale };
}

function run(args: string[], locale: Record<string, string> = {}, extra: NodeJS.ProcessEnv = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000, env: env(locale, extra) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

const ZH = { LANG: 'zh_CN.UTF-8' };
/** For commands that must stop before they need a phone: were they to go on, no adb server is on this port. */
const NO_ADB = { ANDROID_ADB_SERVER_PORT: '9' };
const CODE = /evidence\.wrong-passphrase|\[[a-z-]+\.[a-z-]+\]/;

beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
  mkdirSync(join(work, 'sessions'), { recursive: true });
  await makeSession(session);
  writeFileSync(good, 'the right passphrase\n');
  writeFileSync(wrong, 'not the passphrase\n');
  // The first export creates the signing identity with the right passphrase.
  const first = run(['export', session, '--out', join(work, 'first.zip'), '--passphrase-file', good, '--data-dir', dataDir]);
  expect(first.status, first.stderr).toBe(0);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('which language', () => {
  it('--lang first, then LC_ALL, LC_MESSAGES, LANG: the first set decides; zh* is Chinese, anything else English', () => {
    expect(localeLanguage({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(localeLanguage({ LANG: 'zh_TW.UTF-8' })).toBe('zh-CN');
    expect(localeLanguage({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(localeLanguage({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(localeLanguage({ LC_ALL: '', LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(localeLanguage({})).toBe('en');
    expect(languageOption('zh-CN')).toBe('zh-CN');
    expect(languageOption('zh_CN')).toBe('zh-CN');
    expect(languageOption('en')).toBe('en');
    expect(languageOption('fr')).toBeNull();
    expect(takeLangOption(['verify', '--lang', 'en', 'x.zip'])).toEqual({ args: ['verify', 'x.zip'], lang: 'en' });
    expect(takeLangOption(['verify', '--lang=zh-CN', '--', '--lang', 'en'])).toEqual({ args: ['verify', '--', '--lang', 'en'], lang: 'zh-CN' });
  });

  it('help and refusals in Chinese under a Chinese locale, in English with --lang en; a language it does not speak is refused', () => {
    expect(run(['--help'], ZH).stdout).toMatch(/^用法：/m);
    expect(run(['--help'], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }).stdout).toMatch(/^用法：/m);
    expect(run(['--help', '--lang', 'en'], ZH).stdout).toMatch(/^Usage:/m);
    expect(run(['--help'], { LANG: 'en_US.UTF-8' }).stdout).toMatch(/^Usage:/m);
    const unknown = run(['devices', '--colour'], ZH);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('apprights: 未知选项 --colour（见 apprights --help）\n');
    const bad = run(['--lang', 'fr', 'devices'], ZH);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--lang 只能是 zh-CN 或 en/);
  });
});

describe('an error in words, its code only under --json', () => {
  it('a wrong passphrase, in Chinese and in English, with no internal code', () => {
    const zh = run(['export', session, '--out', join(work, 'zh.zip'), '--passphrase-file', wrong, '--data-dir', dataDir], ZH);
    expect(zh.status).toBe(1);
    expect(zh.stderr).toBe('apprights: 签名身份的口令错误：未签署任何内容。请输入创建该身份时设定的口令。\n');
    const en = run(['export', session, '--out', join(work, 'en.zip'), '--passphrase-file', wrong, '--data-dir', dataDir, '--lang', 'en'], ZH);
    expect(en.status).toBe(1);
    expect(en.stderr).toBe('apprights: Wrong passphrase for the signing identity: nothing was signed. Give the passphrase the identity was created with.\n');
    for (const r of [zh, en]) expect(r.stderr).not.toMatch(CODE);
    expect(existsSync(join(work, 'zh.zip')) || existsSync(join(work, 'en.zip'))).toBe(false);
  });

  it('--json: the code, the words and the details as JSON on stdout; stderr still words only', () => {
    // demo unlocks the lab's identity (given a passphrase file) before it needs a phone.
    const r = run(['demo', '--scenario', 'compliant-app', '--fast', '--json', '--out', join(work, 'demo.zip'), '--passphrase-file', wrong, '--data-dir', dataDir], ZH, NO_ADB);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect(out.error.code).toBe('evidence.wrong-passphrase');
    expect(out.error.message).toBe('签名身份的口令错误：未签署任何内容。请输入创建该身份时设定的口令。');
    expect(out.error.details.reason).toBe('passphrase-wrong');
    expect(r.stderr).toBe('apprights: 签名身份的口令错误：未签署任何内容。请输入创建该身份时设定的口令。\n');
  });

  it('an error whose sentence quotes a value keeps the value guarded (a scenario file name with a line break)', () => {
    const r = run(['virtual-device', '--scenario', join(work, 'no\nsuch.yaml')], ZH);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^apprights: 找不到场景文件：.*no\\nsuch\.yaml/);
  });
});

describe('--out never replaces a package without --force', () => {
  it('export: refused in words naming the file and --force, the file unchanged; --force replaces it', () => {
    const out = join(work, 'first.zip');
    const before = readFileSync(out);
    const en = run(['export', session, '--out', out, '--passphrase-file', good, '--data-dir', dataDir]);
    expect(en.status).toBe(2);
    expect(en.stderr).toBe(`apprights: ${out} already exists; nothing was replaced. Choose another --out, or add --force to replace it\n`);
    const zh = run(['export', session, '--out', out, '--passphrase-file', good, '--data-dir', dataDir], ZH);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toBe(`apprights: ${out} 已存在，未作任何覆盖。请换一个 --out，或加上 --force 以覆盖它\n`);
    expect(readFileSync(out).equals(before)).toBe(true);
    const forced = run(['export', session, '--out', out, '--force', '--passphrase-file', good, '--data-dir', dataDir]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(out).equals(before)).toBe(false);
    expect(run(['verify', out]).status).toBe(0);
  });

  it('demo: refused before any work (no phone, no session folder), the file unchanged', () => {
    const out = join(work, 'existing-demo.zip');
    writeFileSync(out, 'a package from yesterday');
    const r = run(['demo', '--scenario', 'compliant-app', '--fast', '--out', out, '--data-dir', dataDir], {}, NO_ADB);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`apprights: ${out} already exists; nothing was replaced. Choose another --out, or add --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('a package from yesterday');
    expect(readdirSync(work).filter((f) => f.startsWith('existing-demo-session'))).toEqual([]);
    // Refused at once: it did not play the scenario first.
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('demo --force with a phone', () => {
  let adb: TestAdbServer;
  beforeAll(async () => {
    adb = await startAdbServer();
  }, 60_000);
  afterAll(async () => adb?.kill());

  it('replaces the package it was told to, and the new one verifies', () => {
    const out = join(work, 'forced-demo.zip');
    writeFileSync(out, 'a package from yesterday');
    const r = run(['demo', '--scenario', 'compliant-app', '--fast', '--force', '--out', out, '--data-dir', join(work, 'demo-data')], ZH, adb.env);
    expect(r.status, r.stderr).toBe(0);
    // The summary is Chinese too.
    expect(r.stderr).toMatch(/完成，用时 [\d.]+ 秒。场景声明的违规项：无（合规）/);
    expect(run(['verify', out]).status).toBe(0);
  }, 180_000);
});
