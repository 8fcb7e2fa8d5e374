// Pure parts of device control: install failure explanations, terminal escape stripping,
// quoting, and the UI dump reader on hostile input.
import { describe, expect, it } from 'vitest';
import { EXPLAINED_INSTALL_FAILURES, parseInstallFailure } from '../../../../src-main/core/adb/install-failures.js';
import { stripTerminalControls } from '../../../../src-main/core/adb/terminal-text.js';
import { assertPackageName, quoteArg, shellCommand } from '../../../../src-main/core/adb/shell-quote.js';
import { parseUiDump } from '../../../../src-main/core/adb/ui-dump.js';

describe('install failure explanations', () => {
  it.each([
    ['Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.x signatures do not match previously installed version; ignoring!]', 'INSTALL_FAILED_UPDATE_INCOMPATIBLE', /签名不同/, /different key/],
    ['Failure [INSTALL_FAILED_VERSION_DOWNGRADE]', 'INSTALL_FAILED_VERSION_DOWNGRADE', /比这个 APK 新/, /newer/],
    ['Failure [INSTALL_FAILED_NO_MATCHING_ABIS: Failed to extract native libraries, res=-113]', 'INSTALL_FAILED_NO_MATCHING_ABIS', /ABI/, /CPU/],
    ['Failure [INSTALL_FAILED_INSUFFICIENT_STORAGE]', 'INSTALL_FAILED_INSUFFICIENT_STORAGE', /存储空间不足/, /out of storage/],
    ['Failure [INSTALL_FAILED_USER_RESTRICTED: Install canceled by user]', 'INSTALL_FAILED_USER_RESTRICTED', /USB 安装/, /Install via USB/],
    ['Failure [INSTALL_FAILED_TEST_ONLY: installPackageLI]', 'INSTALL_FAILED_TEST_ONLY', /testOnly/, /testOnly/],
    ['adb: failed to install x.apk: Failure [INSTALL_PARSE_FAILED_NOT_APK: Failed to parse /data/local/tmp/x.apk]', 'INSTALL_PARSE_FAILED_NOT_APK', /不是 APK/, /not an APK/],
  ])('%s', (out, code, zh, en) => {
    const f = parseInstallFailure(out)!;
    expect(f.code).toBe(code);
    expect(f.zh).toMatch(zh);
    expect(f.en).toMatch(en);
  });

  it('keeps unknown codes and their detail, and ignores success', () => {
    expect(parseInstallFailure('Failure [INSTALL_FAILED_MISSING_SPLIT: Missing split for com.x]')).toMatchObject({ code: 'INSTALL_FAILED_MISSING_SPLIT', detail: 'Missing split for com.x', en: 'Install failed: INSTALL_FAILED_MISSING_SPLIT' });
    expect(parseInstallFailure('Success')).toBeNull();
    expect(EXPLAINED_INSTALL_FAILURES.length).toBeGreaterThanOrEqual(15);
  });
});

describe('stripTerminalControls', () => {
  it.each([
    ['colour codes', 'I \u001b[31mred\u001b[0m text', 'I red text'],
    ['cursor moves and clears', 'a\u001b[2J\u001b[H\u001b[10;20Hb', 'ab'],
    ['OSC window title (BEL and ST)', '\u001b]0;pwned\u0007x\u001b]2;t\u001b\\y', 'xy'],
    ['OSC 8 hyperlink', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', 'click'],
    ['DCS', '\u001bPq#0;2;0;0;0\u001b\\ok', 'ok'],
    ['bidi override shown, not applied', 'com.evil\u202egpj.exe', 'com.evil<U+202E>gpj.exe'],
    ['C1 CSI', 'a\u009b31mb', 'ab'],
    ['NUL, BEL, backspace', 'a\u0000b\u0007c\u0008d', 'abcd'],
    ['CRLF', 'line1\r\nline2\r\n', 'line1\nline2\n'],
    ['keeps tabs and Chinese', '标签\t值', '标签\t值'],
  ])('%s', (_n, input, expected) => {
    expect(stripTerminalControls(input)).toBe(expected);
  });
  it('replaces invalid UTF-8', () => {
    expect(stripTerminalControls(Buffer.from([0x61, 0xc3, 0x28, 0x62]))).toBe('a\ufffd(b');
  });
});

describe('shell quoting', () => {
  it('quotes what needs it and nothing can break out', () => {
    expect(quoteArg('com.example.app')).toBe('com.example.app');
    expect(quoteArg("it's; rm -rf /")).toBe(`'it'\\''s; rm -rf /'`);
    expect(shellCommand(['input', 'text', '$(reboot)'])).toBe(`input text '$(reboot)'`);
    expect(() => quoteArg('a\0b')).toThrow();
    expect(() => assertPackageName('com.x; reboot')).toThrow(/Not a package name/);
    expect(assertPackageName('com.demo.shop')).toBe('com.demo.shop');
  });
});

describe('parseUiDump', () => {
  const xml = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="1"><node index="0" text="" resource-id="" class="android.widget.FrameLayout" package="com.x" content-desc="" checkable="false" checked="false" clickable="false" enabled="true" bounds="[0,0][1080,2400]"><node index="0" text="同意 &amp; 继续 &lt;b&gt;" resource-id="com.x:id/agree" class="android.widget.Button" package="com.x" content-desc="" checkable="false" checked="false" clickable="true" enabled="true" bounds="[60,1180][1020,1320]" /><node index="1" text="我已阅读" resource-id="com.x:id/cb" class="android.widget.CheckBox" package="com.x" content-desc="" checkable="true" checked="true" clickable="true" enabled="true" bounds="[60,760][1020,860]" /></node></hierarchy>`;
  it('reads nodes, entities, bounds and rotation', () => {
    const tree = parseUiDump(`UI hierchary dumped to: /dev/tty\n${xml}`);
    expect(tree.rotation).toBe(1);
    expect(tree.nodeCount).toBe(3);
    const [agree, box] = tree.nodes[0]!.children;
    expect(agree).toMatchObject({ text: '同意 & 继续 <b>', resourceId: 'com.x:id/agree', clickable: true, bounds: [60, 1180, 1020, 1320] });
    expect(box).toMatchObject({ checkable: true, checked: true });
  });
  it('cleans every attribute, whether the control arrives raw or as a character reference', () => {
    // Only references: the document itself is plain text, the decoded values are not.
    const byReference = parseUiDump(xml.replace('我已阅读', '我已&#x202E;阅读&#27;[2J&#7;').replace('com.x:id/cb', 'com.x:id/cb&#155;31m'));
    expect(byReference.nodes[0]!.children[1]).toMatchObject({ text: '我已<U+202E>阅读', resourceId: 'com.x:id/cb' });
    const raw = parseUiDump(xml.replace('我已阅读', '我已\u202e阅读\u001b]0;t\u0007').replace('android.widget.CheckBox', 'android.widget.CheckBox\u0085\u2066'));
    expect(raw.nodes[0]!.children[1]).toMatchObject({ text: '我已<U+202E>阅读', className: 'android.widget.CheckBox<U+2066>' });
    // Text a phone writes with line breaks (as &#10;) keeps them.
    expect(parseUiDump(xml.replace('我已阅读', '第一行&#10;第二行')).nodes[0]!.children[1]!.text).toBe('第一行\n第二行');
  });
  it('refuses non-dumps, too many nodes and too deep trees, fast', () => {
    expect(() => parseUiDump('ERROR: could not get idle state.')).toThrow(/window hierarchy/);
    const wide = `<hierarchy rotation="0">${'<node bounds="[0,0][1,1]" />'.repeat(20_001)}</hierarchy>`;
    expect(() => parseUiDump(wide)).toThrow(/more than 20000 nodes/);
    const deep = `<hierarchy rotation="0">${'<node bounds="[0,0][1,1]">'.repeat(300)}</hierarchy>`;
    const t = performance.now();
    expect(() => parseUiDump(deep)).toThrow(/nested too deeply/);
    expect(performance.now() - t).toBeLessThan(500);
  });
});
