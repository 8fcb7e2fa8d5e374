// Whether the app would trust the session CA, as the CA set-up dialog reads it from the session: the last APK
// analysis capture of the timeline (across pages) and the analysis's userCaTrust; an analysis without the field, a
// verdict it does not know, or text that is not whole JSON is "not known", never a guess.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-preload/api.js';
import { lastAnalysisPath, trustOf } from '../../../src-renderer/src/network/app-ca-trust.js';

const capture = (seq: number, kind: string, path: string): TimelineEntry => ({ seq, event: { type: 'capture', kind, blob: { path, sha256: 'x', size: 1, mediaType: 'application/json' }, name: null } }) as unknown as TimelineEntry;

describe('the app\'s trust in user CAs, from the session', () => {
  it('takes the last APK analysis of the timeline, across pages', () => {
    expect(lastAnalysisPath([capture(1, 'screenshot', 'blobs/a.png')])).toBeNull();
    const first = lastAnalysisPath([capture(1, 'apk.analysis', 'blobs/old.json'), capture(2, 'screenshot', 'blobs/a.png')]);
    expect(first).toBe('blobs/old.json');
    expect(lastAnalysisPath([capture(3, 'ui.dump', 'blobs/u.json')], first)).toBe('blobs/old.json');
    expect(lastAnalysisPath([capture(4, 'apk.analysis', 'blobs/new.json')], first)).toBe('blobs/new.json');
    expect(lastAnalysisPath([{ seq: 5, event: { type: 'capture', kind: 'apk.analysis', blob: { path: 7 } } } as unknown as TimelineEntry], 'blobs/new.json')).toBe('blobs/new.json');
  });

  it('reads the verdict and its domains, and says "not known" for anything else', () => {
    const trust = { trusts: 'some-domains', reason: 'domain-config', domains: ['*.umeng.com', 7], configPath: 'res/xml/network_security_config.xml' };
    expect(trustOf(JSON.stringify({ packageName: 'com.demo', userCaTrust: trust }))).toEqual({ ...trust, domains: ['*.umeng.com'] });
    expect(trustOf(JSON.stringify({ userCaTrust: { trusts: 'yes', reason: 'target-sdk-below-24', domains: [], configPath: null } }))?.trusts).toBe('yes');
    expect(trustOf(JSON.stringify({ packageName: 'com.demo' }))).toBeNull();
    expect(trustOf(JSON.stringify({ userCaTrust: { trusts: 'maybe' } }))).toBeNull();
    expect(trustOf('{"userCaTrust": {"trusts": "yes"')).toBeNull();
  });
});
