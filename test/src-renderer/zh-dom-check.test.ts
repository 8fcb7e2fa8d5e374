// The zh DOM check's word rule (test/e2e/zh-dom-check.ts), which e2e tests call on live screens: it must flag
// English words and UI codes, and let through Chinese, names of formats and protocols, one-letter keys, and
// (in attributes, which cannot hold <code>) identifier-shaped tokens.
import { describe, expect, it } from 'vitest';
import { englishWords } from '../e2e/zh-dom-check.js';

describe('englishWords', () => {
  it('flags English words and codes left in Chinese text', () => {
    expect(englishWords('日志级别 Verbose', false)).toEqual(['Verbose']);
    expect(englishWords('AUTO', false)).toEqual(['AUTO']);
    expect(englishWords('同意隐私政策前申请了权限：permission dialog。', false)).toEqual(['permission', 'dialog']);
    expect(englishWords('会话忙：…is already recording session…', false)).toEqual(['is', 'already', 'recording', 'session']);
    expect(englishWords('标记：开始检测阶段 first-launch', false)).toEqual(['first', 'launch']);
    expect(englishWords('com.demo.shop', false)).toEqual(['com', 'demo', 'shop']);
  });

  it('lets through Chinese, listed names, numbers and single letters', () => {
    expect(englishWords('安装 APK…', false)).toEqual([]);
    expect(englishWords('国密算法：每个文件的 SM3 与 SM2 签名', false)).toEqual([]);
    expect(englishWords('快捷键：C 已同意 · D 已拒绝 · 附录F', false)).toEqual([]);
    expect(englishWords('1.4 帧/秒 · 每帧 390 ms', false)).toEqual([]);
  });

  it('in attributes, takes identifier-shaped tokens as identifiers but not words', () => {
    expect(englishWords('com.example.app', true)).toEqual([]);
    expect(englishWords('应用尝试读取设备标识（getImeiForSlot）', true)).toEqual([]);
    expect(englishWords('CN=王五', true)).toEqual([]);
    expect(englishWords('Search text or name', true)).toEqual(['Search', 'text', 'or', 'name']);
  });
});
