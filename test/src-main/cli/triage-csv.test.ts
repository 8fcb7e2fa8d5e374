/**
 * `apprights analyze --out --csv` keeps an APK's own words as text in the spreadsheet: an APK whose versionName is
 * "＝1+1()" and whose label is "@SUM(1+1)*cmd|x" (edited in place in a real APK's manifest and resources, as a
 * hostile developer would write them) comes out with both cells prefixed by ', every field quoted. Needs
 * `npm run build`.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editApkStrings } from '../../support/apk-strings.js';
import { runCli } from '../../support/cli.js';
import { parseQuotedCsv } from '../../support/csv.js';
import { TEST_APKS } from '../../support/virtual-phone.js';

describe('the triage CSV', () => {
  it('defuses a hostile versionName and label', async () => {
    const root = mkdtempSync(join(tmpdir(), 'triage-csv-'));
    mkdirSync(join(root, 'apks'));
    writeFileSync(join(root, 'apks', 'hostile.apk'), editApkStrings(readFileSync(TEST_APKS.settings), [
      { entry: 'AndroidManifest.xml', from: '8.0.10', to: '＝1+1()', encoding: 'utf16le' },
      { entry: 'resources.arsc', from: 'Appium Settings', to: '@SUM(1+1)*cmd|x', encoding: 'utf8' },
    ]));
    const r = await runCli(['analyze', join(root, 'apks'), '--out', join(root, 'r.jsonl'), '--csv', join(root, 'r.csv')], process.env);
    expect(r.code).toBe(0);
    const analysis = JSON.parse(readFileSync(join(root, 'r.jsonl'), 'utf8')) as { versionName: string; label: { default: string } };
    expect(analysis).toMatchObject({ versionName: '＝1+1()', label: { default: '@SUM(1+1)*cmd|x' } });
    const [header, row] = parseQuotedCsv(readFileSync(join(root, 'r.csv'), 'utf8'));
    expect(row![header!.indexOf('versionName')]).toBe("'＝1+1()");
    expect(row![header!.indexOf('label')]).toBe("'@SUM(1+1)*cmd|x");
  }, 60_000);
});
