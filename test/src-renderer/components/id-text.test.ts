// Which parts of a line are set in <code>: identifiers by their shape, and in a Chinese line the whole stretch
// of device text that holds one; words, clause numbers and names such as Wi-Fi stay text.
import { describe, expect, it } from 'vitest';
import { idParts } from '../../../src-renderer/src/components/IdText.js';

const ids = (text: string): string[] => idParts(text).filter((p) => p.id).map((p) => p.text);

describe('idParts', () => {
  it('finds package, class, method, permission, path, attribute and hyphenated ids', () => {
    expect(ids('进程 com.demo.shop 启动（前台界面）')).toEqual(['com.demo.shop']);
    expect(ids('前台：com.android.launcher3/.uioverlay.QuickstepLauncher')).toEqual(['com.android.launcher3/.uioverlay.QuickstepLauncher']);
    expect(ids('应用访问了：identifier:getImeiForSlot。')).toEqual(['identifier:getImeiForSlot']);
    expect(ids('请求设备标识符（getImeiForSlot）')).toEqual(['getImeiForSlot']);
    expect(ids('访问了 READ_PHONE_STATE')).toEqual(['READ_PHONE_STATE']);
    expect(ids('检查 checkable="true" checked="true" 的同意框')).toEqual(['checkable="true" checked="true"']);
    expect(ids('已采集界面结构（blobs/85a9.json）')).toEqual(['blobs/85a9.json']);
    expect(ids('Session started at first-launch')).toEqual(['first-launch']);
  });

  it('sets a Chinese line\'s stretch of Android text holding an id in code entire', () => {
    expect(ids('进程 com.demo.shop 被 system 结束：stop com.demo.shop due to from pid 4321')).toEqual(['com.demo.shop', 'stop com.demo.shop due to from pid 4321']);
  });

  it('leaves words, numbers and clause ids alone', () => {
    expect(ids('用户同意隐私政策前，App（含其SDK）不得收集设备标识')).toEqual([]);
    expect(ids('Wi-Fi 连接信息')).toEqual([]);
    expect(ids('164-1.1 · 191-3 · 高')).toEqual([]);
    expect(ids('The app asked for the permission before consent.')).toEqual([]);
  });

  it('keeps the text whole', () => {
    const line = '工作台操作：强行停止 com.demo.shop（stop com.demo.shop due to user）。';
    expect(idParts(line).map((p) => p.text).join('')).toBe(line);
  });
});
