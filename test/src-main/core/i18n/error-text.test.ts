/**
 * The one rule that words an error (shared by the window and the CLI): a reason's own sentence first, then the
 * code's sentence with the details put in, else the core's message — never a sentence with a hole in it.
 */
import { describe, expect, it } from 'vitest';
import { WorkbenchError, toBridgeError } from '../../../../src-main/core/errors.js';
import { catalogueLookup, errorSentence, ERROR_CATALOGUE } from '../../../../src-main/core/i18n/error-text.js';

const said = (err: WorkbenchError, lang: 'zh-CN' | 'en'): string => errorSentence(toBridgeError(err), catalogueLookup(lang, String), (t) => `<${t}>`);

describe('errorSentence', () => {
  it('a reason has its own sentence in both languages', () => {
    const err = new WorkbenchError('evidence.wrong-passphrase', 'Wrong passphrase for the signing identity', { reason: 'passphrase-wrong' });
    expect(said(err, 'zh-CN')).toBe('签名身份的口令错误：未签署任何内容。请输入创建该身份时设定的口令。');
    expect(said(err, 'en')).toMatch(/^Wrong passphrase for the signing identity: nothing was signed/);
    expect(said(new WorkbenchError('evidence.wrong-passphrase', 'short', { reason: 'passphrase-too-short', min: 8 }), 'zh-CN')).toBe('口令至少需要 8 个字符。');
  });

  it('the code\'s sentence with its details; the core\'s message where a value is missing', () => {
    expect(said(new WorkbenchError('virtual-device.port-in-use', 'Port 5 is in use', { port: 5 }), 'zh-CN')).toBe('端口 5 已被占用，请换一个。');
    // "Invalid input: {{problem}} ({{field}})" with neither: the core's own words, not "Invalid input:  ()".
    expect(said(new WorkbenchError('bridge.invalid-arguments', 'x.jsonl already holds results: add --resume', {}), 'en')).toBe('<x.jsonl already holds results: add --resume>');
    expect(said(new WorkbenchError('adb.device-not-found', 'no phone', {}), 'zh-CN')).toBe('<no phone>');
    expect(said(new WorkbenchError('bridge.invalid-arguments', 'bad', { field: 'serial', problem: 'a device serial' }), 'zh-CN')).toBe('输入无效：不是设备序列号（手机）');
  });

  it('both languages have the same keys', () => {
    const keys = (o: unknown, p = ''): string[] => typeof o === 'object' && o ? Object.entries(o).flatMap(([k, v]) => keys(v, `${p}${k}.`)) : [p];
    expect(keys(ERROR_CATALOGUE['zh-CN']).sort()).toEqual(keys(ERROR_CATALOGUE.en).sort());
  });
});
