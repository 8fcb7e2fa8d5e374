/**
 * Whether an app would trust the session CA, judged from network security configs compiled by the real
 * aapt (binary XML and resources.arsc as apps ship them) and the targetSdk defaults — cross-checked with
 * `aapt dump xmltree` for what the config says.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResourceTable } from '../../../../src-main/core/apk/arsc.js';
import { readUserCaTrust, userCaTrust } from '../../../../src-main/core/apk/user-ca-trust.js';
import { ZipReader } from '../../../../src-main/core/apk/zip-reader.js';

/** aapt gives the only xml resource of a one-file package this id. */
const NSC_REF = 0x7f020000;

function compiled(config: string): { zip: ZipReader; table: ResourceTable; apk: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nsc-'));
  mkdirSync(join(dir, 'res', 'xml'), { recursive: true });
  writeFileSync(join(dir, 'AndroidManifest.xml'), '<manifest package="com.example.nsc"><application/></manifest>');
  writeFileSync(join(dir, 'res', 'xml', 'network_security_config.xml'), `<?xml version="1.0" encoding="utf-8"?>\n${config}`);
  const apk = join(dir, 'out.apk');
  execFileSync('aapt', ['package', '-M', join(dir, 'AndroidManifest.xml'), '-S', join(dir, 'res'), '-F', apk]);
  const zip = new ZipReader(readFileSync(apk));
  return { zip, table: new ResourceTable(zip.read('resources.arsc', 1 << 20)), apk };
}

const user = '<trust-anchors><certificates src="user"/></trust-anchors>';
const system = '<trust-anchors><certificates src="system"/></trust-anchors>';

describe('user CA trust', () => {
  it('follows the targetSdk default when the app has no config', () => {
    const none = { config: null, configPath: null, configProblem: null, debuggable: false };
    expect(userCaTrust({ ...none, targetSdk: 23 })).toMatchObject({ trusts: 'yes', reason: 'target-sdk-below-24' });
    expect(userCaTrust({ ...none, targetSdk: 24 })).toMatchObject({ trusts: 'no', reason: 'system-only' });
    expect(userCaTrust({ ...none, targetSdk: null })).toMatchObject({ trusts: 'yes' });
  });

  it('reads base, domain and debug configs as aapt compiles them', () => {
    const mixed = compiled(`<network-security-config><base-config>${system}</base-config><domain-config><domain includeSubdomains="true">api.example.com</domain><domain>cdn.example.com</domain>${user}<domain-config><domain>inner.example.com</domain></domain-config></domain-config><debug-overrides>${user}</debug-overrides></network-security-config>`);
    // What the config says, by aapt's own reading: the domain text is character data.
    expect(execFileSync('aapt', ['dump', 'xmltree', mixed.apk, 'res/xml/network_security_config.xml'], { encoding: 'utf8' })).toContain('C: "api.example.com"');
    const release = readUserCaTrust(mixed.zip, mixed.table, NSC_REF, 30, false);
    expect(release).toEqual({ trusts: 'some-domains', reason: 'domain-config', domains: ['*.api.example.com', 'cdn.example.com', 'inner.example.com'], configPath: 'res/xml/network_security_config.xml' });
    expect(readUserCaTrust(mixed.zip, mixed.table, NSC_REF, 30, true)).toMatchObject({ trusts: 'yes', reason: 'debug-overrides' });

    const base = compiled(`<network-security-config><base-config>${user}</base-config></network-security-config>`);
    expect(readUserCaTrust(base.zip, base.table, NSC_REF, 34, false)).toMatchObject({ trusts: 'yes', reason: 'base-config' });

    // An old app that narrowed its anchors to the system's trusts no user CA, whatever its targetSdk says.
    const narrowed = compiled(`<network-security-config><base-config>${system}</base-config></network-security-config>`);
    expect(readUserCaTrust(narrowed.zip, narrowed.table, NSC_REF, 22, false)).toMatchObject({ trusts: 'no', reason: 'system-only' });

    const debugOnly = compiled(`<network-security-config><debug-overrides>${user}</debug-overrides></network-security-config>`);
    expect(readUserCaTrust(debugOnly.zip, debugOnly.table, NSC_REF, 30, false)).toMatchObject({ trusts: 'debug-only' });
  });

  it('says unknown, never guesses, when the config cannot be read', () => {
    const ok = compiled(`<network-security-config><base-config>${user}</base-config></network-security-config>`);
    expect(readUserCaTrust(ok.zip, ok.table, 0x7f0200ff, 30, false)).toMatchObject({ trusts: 'unknown', reason: 'config-unreadable' });
    expect(readUserCaTrust(ok.zip, null, NSC_REF, 30, false)).toMatchObject({ trusts: 'unknown' });
  });
});
