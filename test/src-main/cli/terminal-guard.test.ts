/**
 * No phone- or APK-derived text reaches the terminal as a control sequence: the CLI's output guard, and
 * `apprights devices` end to end with a phone whose model carries a screen clear and a right-to-left override.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeForTerminal } from '../../../src-main/cli/terminal-guard.js';
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

  it('apprights devices shows a hostile model as plain text', async () => {
    const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, [join(root, 'bin', 'apprights.cjs'), 'devices'], { env: adb.env, timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    const line = out.split('\n').find((l) => l.startsWith(phone.serial))!;
    expect(line).toContain('EvilPhone<U+202E>enohp');
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
