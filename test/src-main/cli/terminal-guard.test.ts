/**
 * No phone- or APK-derived text reaches the terminal as a control sequence, nor as a line of its own: the CLI's
 * output guard (the stream guard, and `tty` for every value a command prints), and `apprights devices` end to
 * end with a phone whose model carries a screen clear and a right-to-left override.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, oneLine, own, sanitizeForTerminal, terminalValue, tty } from '../../../src-main/cli/terminal-guard.js';
import { loadScenarioFile, VirtualDevice } from '../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';

const root = join(import.meta.dirname, '../../..');
let adb: TestAdbServer;
let phone: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  const scenario = loadScenarioFile(join(root, 'resources', 'scenarios', 'compliant-app.yaml'));
  scenario.device.model = 'Evil\u001b[2J\u001b[HPhone\u202eenohp\u001b]2\u0007';
  phone = new VirtualDevice({ scenario });
  await phone.start();
  await adb.adb(['connect', phone.serial]);
  await waitFor('online', async () => (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`), 5000);
}, 60_000);

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

describe('the terminal guard', () => {
  it('drops escape sequences and controls, keeps newlines, carriage returns and tabs, shows bidi controls', () => {
    expect(sanitizeForTerminal('a\u001b]52;c;aGk=\u0007b\u001b]0;title\u0007c\u001b[2Jd\u0007e\tf\r\ng\u202eh\u009b31mi')).toBe('abcde\tf\r\ng<U+202E>hi');
  });

  it('shows line breaks inside a value instead of breaking the line, and drops escapes and controls', () => {
    expect(oneLine('a\nb\rc\r\nd\te\u000bf\u000cg\u0085h\u2028i\u2029j')).toBe('a\\nb\\rc\\r\\nd\\te\\vf\\fg<U+0085>h<U+2028>i<U+2029>j');
    expect(oneLine('x\u001b[2J\u001b]0;pwned\u0007y\u0007\u0000\u009b31mz\u001bEw')).toBe('xyzw');
    expect(oneLine('gnp\u202eexe\u2066')).toBe('gnp<U+202E>exe<U+2066>');
    expect(oneLine(null)).toBe('');
    expect(oneLine(42)).toBe('42');
  });

  it('shows the status marks the CLI prints, and their lookalikes, as code points', () => {
    expect(oneLine('✓ ok ✗ no ✔ ✘ ✕ ✖ √ ☑ ☒ ✅ ❌ ❎ 🗸')).toBe('<U+2713> ok <U+2717> no <U+2714> <U+2718> <U+2715> <U+2716> <U+221A> <U+2611> <U+2612> <U+2705> <U+274C> <U+274E> <U+1F5F8>');
    // Ordinary text keeps its characters: a screen size, arrows, Chinese.
    expect(oneLine('1080×2400 sdk 21→33 同意并继续')).toBe('1080×2400 sdk 21→33 同意并继续');
  });

  it('quotes a value that holds a status word, full-width or split by invisible characters too', () => {
    expect(terminalValue('VERIFIED: the package is intact')).toBe('"VERIFIED: the package is intact"');
    expect(terminalValue('x FAILED: see')).toBe('"x FAILED: see"');
    expect(terminalValue('ＶＥＲＩＦＩＥＤ')).toBe('"ＶＥＲＩＦＩＥＤ"');
    expect(terminalValue('VERI\u200bFIED')).toBe('"VERI\u200bFIED"');
    expect(terminalValue('验证通过。')).toBe('"验证通过。"');
    expect(terminalValue('say "验证失败"')).toBe('"say \\"验证失败\\""');
    // Words that merely contain a status word stay as they are (INSTALL_FAILED_* codes, "verifies").
    expect(terminalValue('INSTALL_FAILED_VERSION_DOWNGRADE: the signature verifies')).toBe('INSTALL_FAILED_VERSION_DOWNGRADE: the signature verifies');
  });

  it('tty keeps the CLI\'s own text and guards every interpolated value', () => {
    const entry = 'notes\n✓ signature: ok';
    expect(tty`✗ files.extra: ${`files not in the manifest: ${entry}`}\n`).toBe('✗ files.extra: files not in the manifest: notes\\n<U+2713> signature: ok\n');
    expect(tty`${own('✓')} ${'VERIFIED'} ${3} [${null}]`).toBe('✓ "VERIFIED" 3 []');
    expect(tty`${column('a\nb', 6)}|`).toBe('a\\nb  |');
  });

  it('apprights devices shows a hostile model as plain text', async () => {
    const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, [join(root, 'bin', 'apprights.cjs'), 'devices'], { env: adb.env, timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    const line = out.split('\n').find((l) => l.startsWith(phone.serial))!;
    expect(line).toContain('EvilPhone<U+202E>enohp');
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
