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
import { ZipReader } from '../../../src-main/core/apk/index.js';
import { runCli } from '../../support/cli.js';
import { parseQuotedCsv } from '../../support/csv.js';
import { TEST_APKS } from '../../support/virtual-phone.js';
import { buildZip } from '../../support/zip-builder.js';

/** The same string, same length, in the same pool encoding: the string pool stays valid. */
function replaceString(data: Buffer, from: string, to: string, encoding: 'utf8' | 'utf16le'): Buffer {
  const at = data.indexOf(Buffer.from(from, encoding));
  expect(at).toBeGreaterThan(0);
  const copy = Buffer.from(data);
  Buffer.from(to, encoding).copy(copy, at);
  return copy;
}

describe('the triage CSV', () => {
  it('defuses a hostile versionName and label', async () => {
    const root = mkdtempSync(join(tmpdir(), 'triage-csv-'));
    const zip = new ZipReader(readFileSync(TEST_APKS.settings));
    const entries = [...zip.entries.keys()].map((name) => {
      let data = zip.read(name, 64 << 20);
      if (name === 'AndroidManifest.xml') data = replaceString(data, '8.0.10', '＝1+1()', 'utf16le');
      if (name === 'resources.arsc') data = replaceString(data, 'Appium Settings', '@SUM(1+1)*cmd|x', 'utf8');
      return { name, data };
    });
    mkdirSync(join(root, 'apks'));
    writeFileSync(join(root, 'apks', 'hostile.apk'), buildZip(entries));
    const r = await runCli(['analyze', join(root, 'apks'), '--out', join(root, 'r.jsonl'), '--csv', join(root, 'r.csv')], process.env);
    expect(r.code).toBe(0);
    const analysis = JSON.parse(readFileSync(join(root, 'r.jsonl'), 'utf8')) as { versionName: string; label: { default: string } };
    expect(analysis).toMatchObject({ versionName: '＝1+1()', label: { default: '@SUM(1+1)*cmd|x' } });
    const [header, row] = parseQuotedCsv(readFileSync(join(root, 'r.csv'), 'utf8'));
    expect(row![header!.indexOf('versionName')]).toBe("'＝1+1()");
    expect(row![header!.indexOf('label')]).toBe("'@SUM(1+1)*cmd|x");
  }, 60_000);
});
