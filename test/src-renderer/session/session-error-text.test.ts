// The session errors a tester meets, in the shipped catalogues: in Chinese they are Chinese sentences with the
// facts put in (no English sentence of the core appended, as "会话忙：…is already recording session…" was),
// and the note limit names the limit and the note's length with digit grouping.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { BridgeError } from '../../../src-preload/api.js';
import { errorText } from '../../../src-renderer/src/error-text.js';
import en from '../../../src-renderer/src/locales/en.json';
import zh from '../../../src-renderer/src/locales/zh-CN.json';
import { ERROR_CATALOGUE } from '../../../src-main/core/i18n/error-text.js';

async function translator(lng: string) {
  const i = i18next.createInstance();
  await i.init({ resources: { 'zh-CN': { translation: { ...zh, ...ERROR_CATALOGUE['zh-CN'] } }, en: { translation: { ...en, ...ERROR_CATALOGUE.en } } }, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

const error = (code: BridgeError['code'], details: BridgeError['details']): BridgeError => ({ code, messageKey: `error.${code}`, details });
/** What the core sends (session-manager.ts, monitors.ts, device-control.ts, note-length.ts, the checklist, policy and explore services): its English message rides along. */
const ERRORS: BridgeError[] = [
  error('session.busy', { serial: '127.0.0.1:5555', session: '20261206-101500-com.demo.shop', reason: 'phone-recording', message: '127.0.0.1:5555 is already recording session 20261206-101500-com.demo.shop; stop or pause it first' }),
  error('session.busy', { dir: '/tmp/s', reason: 'folder-holds-session', message: '/tmp/s already holds a session; choose another directory' }),
  error('session.busy', { id: 'S1', reason: 'recording-delete', message: 'Stop the session before deleting it' }),
  error('session.busy', { dir: '20261206-101500-com.demo.shop', max: 1000, reason: 'same-name-full', message: '1000 sessions named … already exist' }),
  error('session.busy', { id: 'S1', reason: 'recorded-elsewhere', message: 'Another process is recording session S1' }),
  error('session.busy', { serial: 'emulator-5554', session: 'S1', reason: 'session-monitor', message: 'Session S1 is recording on emulator-5554; pause or stop the session to stop its monitor' }),
  error('session.not-recording', { id: 'S1', reason: 'not-open', message: 'Session S1 is not open; resume it first' }),
  error('session.not-recording', { id: 'S1', reason: 'closed-for-good', message: 'Session S1 is closed' }),
  error('session.not-recording', { id: 'S1', reason: 'capture-needs-recording', message: 'Session S1 is paused; resume it to capture from its phone' }),
  error('session.not-recording', { id: 'S1', reason: 'explore-needs-recording', message: 'Session S1 is not recording; resume it to explore its app' }),
  error('session.busy', { id: 'S1', reason: 'explore-running', message: 'The explorer is already walking this app: stop it first' }),
  error('session.not-recording', { id: 'S1', reason: 'no-log-yet', message: 'The session has no log yet' }),
  error('session.not-recording', { reason: 'timeline-closed', message: 'The timeline is closed' }),
  error('adb.command-failed', { what: 'uiautomator dump', reason: 'screen-off', message: 'The screen is off: uiautomator reads no window until it is on' }),
  error('session.note-too-long', { max: 10_000, length: 57_000, message: 'A note may be at most 10,000 characters; this one has 57,000.' }),
];

describe('session errors in the UI', () => {
  it('in Chinese: no English word, every fact of the details in place', async () => {
    const t = await translator('zh-CN');
    for (const e of ERRORS) {
      const text = errorText(e, t);
      // Identifiers (serials, session ids, paths) are the only Latin letters allowed.
      const words = text.replace(/[\w.:/-]*\d[\w.:/-]*|\/tmp\/s|S1|com\.demo\.shop/g, '');
      expect(words, text).not.toMatch(/[A-Za-z]{2,}/);
      expect(text).not.toContain('{{');
      for (const key of ['serial', 'session', 'id', 'dir'] as const) if (typeof e.details[key] === 'string') expect(text, key).toContain(e.details[key]);
    }
    expect(errorText(ERRORS[ERRORS.length - 1]!, t)).toContain('备注最多 10,000 字，当前 57,000 字');
    expect(errorText(ERRORS[0]!, t)).toBe('手机 127.0.0.1:5555 正在录制会话 20261206-101500-com.demo.shop：请先结束或暂停该会话。');
  });

  it('in English: the same sentences, the limit named', async () => {
    const t = await translator('en');
    for (const e of ERRORS) expect(errorText(e, t)).not.toContain('{{');
    expect(errorText(ERRORS[ERRORS.length - 1]!, t)).toContain('at most 10,000 characters; this one has 57,000');
  });
});
