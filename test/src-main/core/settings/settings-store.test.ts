// Settings persist atomically; a corrupted or invalid file is kept aside and defaults are restored.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../../src-main/core/settings/index.js';

describe('SettingsStore', () => {
  it('persists updates and validates them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    new SettingsStore(dir).update({ language: 'zh-CN', theme: 'dark' });
    expect(new SettingsStore(dir).get()).toMatchObject({ language: 'zh-CN', theme: 'dark', adbPath: null });
    expect(() => new SettingsStore(dir).update({ theme: 'neon' as never })).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([['truncated JSON', '{"language": "zh-CN", "th'], ['wrong types', '{"language": 5}'], ['binary junk', '\u0000\u00ff\u0001']])('restores defaults from %s and keeps the bad file aside', (_name, content) => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), content);
    const store = new SettingsStore(dir);
    expect(store.get()).toEqual({ language: 'auto', theme: 'system', adbPath: null, rememberedDevices: [], allowLocalAddresses: false });
    expect(store.quarantined).toMatch(/settings\.json\.corrupt-\d+$/);
    expect(readFileSync(store.quarantined!, 'utf8')).toBe(content);
    expect(existsSync(join(dir, 'settings.json'))).toBe(true);
  });
});
