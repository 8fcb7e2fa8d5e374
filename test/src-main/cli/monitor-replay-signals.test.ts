/**
 * `apprights monitor --replay` prints #24's signals from a real capture (test/fixtures/real-logcat/05, Huawei
 * EMUI 8, threadtime): the three crashes with their packages, the app's refused background start, the native
 * signal named by its tombstone, and the lines the phone dropped — readable and as JSON. Runs the built CLI.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { CORPUS } from '../../support/real-lines.js';

const root = join(__dirname, '..', '..', '..');
const capture = join(CORPUS, '05-huawei-emui8-y6-crash-chatty.txt');

describe('monitor --replay of a real capture', () => {
  it('prints crashes, refused starts and gaps readably and as JSON', async () => {
    if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
    const text = await runCli(['monitor', '--replay', capture, '--year', '2018', '--utc-offset', '+00:00'], process.env, 60_000);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines.filter((l) => / app\.crash /.test(l))).toHaveLength(4);
    expect(text.stdout).toMatch(/app\.crash\s+com\.lotusflare\.globe\.de\s+com\.lotusflare\.globe\.de \(pid 5118\) crashed \(Java exception\): java\.lang\.IllegalStateException: Not allowed to start service/);
    expect(text.stdout).toMatch(/start\.blocked\s+com\.lotusflare\.globe\.de\s+start of com\.lotusflare\.globe\.de\/com\.lotusflare\.dataeyesdk\.DataEyeService refused by Android \(app is in background\)/);
    expect(text.stdout).toMatch(/app\.crash\s+com\.companyname\.microphonepermission\s+com\.companyname\.microphonepermission \(pid 14367\) crashed \(native signal\): signal 6 \(SIGABRT\)/);
    expect(text.stdout).toMatch(/log\.gap\s+the phone dropped 4 lines of ActivityManager \(chatty\) before 18:08:02\.408/);

    const json = await runCli(['monitor', '--replay', capture, '--year', '2018', '--utc-offset', '+00:00', '--json'], process.env, 60_000);
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; reason?: string; lines?: number });
    expect(events.filter((e) => e.type === 'log.gap' && e.reason === 'chatty-expire').reduce((n, e) => n + (e.lines ?? 0), 0)).toBe(347);
  }, 120_000);
});
