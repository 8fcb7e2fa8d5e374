/**
 * settings.update through the dispatcher (the same validation as the UI's calls): changing one setting keeps
 * every other; a wrong adb path is refused with the reason and changes nothing; the adb path and local
 * addresses are the desktop window's to set.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../../src-preload/api.js';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';

/** A folder with a stand-in adb that fails at once: the check only needs it to exist, and no real adb server
 * is started on the default port by this test. */
const toolsDir = mkdtempSync(join(tmpdir(), 'platform-tools-'));
writeFileSync(join(toolsDir, 'adb'), '#!/bin/sh\nexit 1\n');
chmodSync(join(toolsDir, 'adb'), 0o700);

/** The desktop window may set the adb path; a browser may not (tested below). */
function setup(shell: 'electron' | 'browser' = 'electron') {
  const dataDir = mkdtempSync(join(tmpdir(), 'settings-update-'));
  const dispatcher = new Dispatcher(new Workbench({ dataDir, shell, version: 'test' }).handlers());
  const update = async (patch: Partial<Settings>) => dispatcher.call('settings.update', patch);
  const onDisk = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Settings;
  return { update, onDisk };
}

describe('settings.update', () => {
  it('changes only the field sent (zh-CN, then dark, keeps zh-CN)', async () => {
    const { update, onDisk } = setup();
    await update({ language: 'zh-CN' });
    const after = await update({ theme: 'dark' });
    expect(after).toMatchObject({ ok: true, value: { language: 'zh-CN', theme: 'dark' } });
    expect(onDisk()).toMatchObject({ language: 'zh-CN', theme: 'dark', adbPath: null });
  });

  it.each<[keyof Settings, Settings[keyof Settings]]>([
    ['language', 'en'], ['theme', 'light'], ['adbPath', join(toolsDir, 'adb')], ['rememberedDevices', ['10.0.0.2:5555']], ['allowLocalAddresses', true],
  ])('changing %s alone keeps the others', async (field, value) => {
    const { update, onDisk } = setup();
    const start: Settings = { language: 'zh-CN', theme: 'dark', adbPath: null, rememberedDevices: ['192.168.1.20:5555'], allowLocalAddresses: false };
    expect((await update(start)).ok).toBe(true);
    const changed = await update({ [field]: value });
    expect(changed).toMatchObject({ ok: true });
    expect(onDisk()).toEqual({ ...start, [field]: value });
  });

  it('refuses an adb path where there is no adb, with the reason, and changes nothing', async () => {
    const { update, onDisk } = setup();
    await update({ language: 'zh-CN', theme: 'dark' });
    const refused = await update({ adbPath: '/nonexistent/adb' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'settings.adb-not-found', details: { path: '/nonexistent/adb' } } });
    expect(String((refused as unknown as { error: { details: { message: string } } }).error.details.message)).toMatch(/No adb at \/nonexistent\/adb.*not changed/);
    expect(onDisk()).toMatchObject({ language: 'zh-CN', theme: 'dark', adbPath: null });
    const folder = await update({ adbPath: toolsDir });
    expect(folder).toMatchObject({ ok: true, value: { adbPath: toolsDir, language: 'zh-CN', theme: 'dark' } });
  });

  it('refuses the adb path from a browser, and an adb that others can replace', async () => {
    const browser = setup('browser');
    await browser.update({ theme: 'dark' });
    expect(await browser.update({ adbPath: toolsDir })).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    expect(browser.onDisk()).toMatchObject({ theme: 'dark', adbPath: null });
    const shared = mkdtempSync(join(tmpdir(), 'shared-tools-'));
    writeFileSync(join(shared, 'adb'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(shared, 'adb'), 0o777);
    const desktop = setup('electron');
    await desktop.update({ theme: 'light' });
    expect(await desktop.update({ adbPath: shared })).toMatchObject({ ok: false, error: { code: 'settings.adb-unsafe' } });
    expect(desktop.onDisk()).toMatchObject({ theme: 'light', adbPath: null });
  });

  it('allows local addresses (policy pages, the TSA) from the desktop window only', async () => {
    const browser = setup('browser');
    await browser.update({ theme: 'dark' });
    expect(await browser.update({ allowLocalAddresses: true })).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender', details: { field: 'allowLocalAddresses' } } });
    expect(browser.onDisk()).toMatchObject({ theme: 'dark', allowLocalAddresses: false });
    const desktop = setup('electron');
    expect(await desktop.update({ allowLocalAddresses: true })).toMatchObject({ ok: true, value: { allowLocalAddresses: true } });
    expect(desktop.onDisk()).toMatchObject({ allowLocalAddresses: true });
  });
});
