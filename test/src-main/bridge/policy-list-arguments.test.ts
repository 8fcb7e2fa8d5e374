// The list-page methods' arguments (issue #25) are checked before any handler runs: a source the workbench does
// not know, an address that is not http(s), a list other than the two, pasted text past the bound, extra keys.
import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../src-main/bridge/dispatcher.js';
import { echoHandlers } from '../../support/fake-handlers.js';

const dispatcher = new Dispatcher(echoHandlers());
const sessionId = '20261206-120000-abcdef';

describe('policy.captureList and policy.paste arguments', () => {
  it.each([
    ['policy.captureList', { sessionId, list: 'shared', source: { kind: 'shell', command: 'rm -rf /' } }, 'kind'],
    ['policy.captureList', { sessionId, list: 'shared', source: { kind: 'url', url: 'file:///etc/passwd' } }, 'url'],
    ['policy.captureList', { sessionId, list: 'shared', source: { kind: 'tap', x: 1 } }, 'source'],
    ['policy.captureList', { sessionId, list: 'contacts', source: { kind: 'tap' } }, 'list'],
    ['policy.captureList', { sessionId, list: 'shared', source: { kind: 'text', text: 'x'.repeat(220_001) } }, 'text'],
    ['policy.captureList', { sessionId, list: 'shared', source: { kind: 'file', fileId: '../../x' } }, 'fileId'],
    ['policy.paste', { sessionId, text: 'x'.repeat(220_001) }, 'text'],
    ['policy.paste', { sessionId, text: 'ok', list: 'shared' }, ''],
  ])('refuses %s %#', async (method, args, field) => {
    const r = await dispatcher.call(method, args);
    expect(r).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments' } });
    if (!r.ok) expect(String(r.error.details.field).split('.').pop()).toBe(field);
  });

  it('lets well-formed calls through to the handler', async () => {
    for (const source of [{ kind: 'tap' }, { kind: 'screen' }, { kind: 'url', url: 'https://example.test/sdk.html' }, { kind: 'text', text: '第三方信息共享清单' }]) {
      const r = await dispatcher.call('policy.captureList', { sessionId, list: 'collected', source });
      expect(r.ok || r.error.code, JSON.stringify(source)).not.toBe('bridge.invalid-arguments');
    }
  });
});
