// Guards in the assembled core that no transport may bypass.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../src-main/core/workbench.js';

describe('Workbench', () => {
  it('accepts local file paths from the desktop window only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-'));
    const apk = join(dir, 'a.apk');
    writeFileSync(apk, 'x');
    const browser = new Dispatcher(new Workbench({ dataDir: dir, shell: 'browser', version: 't' }).handlers());
    expect(await browser.call('files.stage', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    const desktop = new Dispatcher(new Workbench({ dataDir: dir, shell: 'electron', version: 't' }).handlers());
    expect(await desktop.call('files.stage', { path: apk })).toMatchObject({ ok: true, value: { fileName: 'a.apk', size: 1 } });
    expect(await desktop.call('files.stage', { path: 'relative.apk' })).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments' } });
    expect(await desktop.call('device.install', { serial: 'x', fileId: 'f'.repeat(32) })).toMatchObject({ ok: false });
  });
});
