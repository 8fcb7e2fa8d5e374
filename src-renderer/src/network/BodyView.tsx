/**
 * One HTTP body in the detail pane, read from the session's blobs on demand: its first 64 KB as escaped text (the
 * phone's values masked and highlighted) or, when it is not text, as a hex dump — and how much is not shown: past
 * 64 KB, and past what the proxy kept of a body larger than its cap (then its SHA-256 names the whole).
 */
import type React from 'react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError } from '../../../src-preload/api';
import type { FlowBody } from '../../../src-preload/network';
import { api } from '../api-client';
import { bodyText, formatBytes, hexDump, SHOWN_BYTES } from './body-bytes';
import type { FlowPi } from '../../../src-preload/network-flows';
import { Masked } from './Masked';
import { errorText } from '../error-text';

type Loaded = { bytes: Uint8Array; stored: number } | { error: BridgeError };

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function BodyView({ sessionId, body, pis, testId }: { sessionId: string; body: FlowBody | null; pis: readonly FlowPi[]; testId: string }): React.JSX.Element {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<{ path: string; value: Loaded } | null>(null);
  const path = body?.blob?.path ?? null;
  useEffect(() => {
    if (!path) return;
    let live = true;
    void api.call('session.blob', { id: sessionId, path, maxBytes: SHOWN_BYTES }).then((o) => {
      if (!live) return;
      setLoaded({ path, value: o.ok ? { bytes: fromBase64(o.value.base64), stored: o.value.size } : { error: o.error } });
    });
    return () => {
      live = false;
    };
  }, [sessionId, path]);
  const value = loaded?.path === path ? loaded.value : null;
  const shown = useMemo(() => {
    if (!value || 'error' in value) return null;
    const cut = value.stored > value.bytes.length || (body?.truncated ?? false);
    const text = bodyText(value.bytes, cut);
    return text === null ? { hex: hexDump(value.bytes) } : { text };
  }, [value, body?.truncated]);

  if (!body) return <p className="muted small" data-testid={testId}>{t('network.body.none')}</p>;
  if (body.size === 0) return <p className="muted small" data-testid={testId}>{t('network.body.empty')}</p>;
  if (!path) return <p className="muted small" data-testid={testId}>{t('network.body.notKept', { size: formatBytes(body.size) })}</p>;
  if (value && 'error' in value) return <p className="bad small" data-testid={testId}>{errorText(value.error, t)}</p>;
  if (!value || !shown) return <p className="muted small" data-testid={testId}>{t('checklist.loading')}</p>;
  const notShown = body.size - value.bytes.length;
  return (
    <div className="body-view" data-testid={testId} data-kind={shown.hex ? 'hex' : 'text'}>
      <pre className="body-bytes"><code>{shown.hex ? shown.hex.lines.join('\n') : <Masked text={shown.text!} pis={pis} />}</code></pre>
      <p className="muted small" data-testid={`${testId}-extent`}>
        {notShown > 0 ? t('network.body.part', { shown: formatBytes(value.bytes.length), size: formatBytes(body.size), more: formatBytes(notShown) }) : t('network.body.whole', { size: formatBytes(body.size) })}
        {body.truncated && ` ${t('network.body.truncated', { kept: formatBytes(value.stored) })}`}
        {!body.searched && ` ${t('network.body.notSearched')}`}
        {' '}<span>SHA-256</span> <code>{body.sha256}</code>
      </p>
    </div>
  );
}
