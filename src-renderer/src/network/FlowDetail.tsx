/**
 * The detail pane of one connection: where it went and who opened it (the app by uid, or what was running when
 * the phone did not say), how its TLS was handled, its bytes and length, the phone's own values found in it, and
 * for a connection the proxy could read, each exchange: method, URL, status, headers and bodies. Everything the
 * phone sent is shown as escaped text (React text, never markup) with its values masked where they can be found.
 */
import type React from 'react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { visibleText } from '../../../src-preload/visible-text';
import { clockTime } from '../logs/event-text';
import { formatBytes } from './body-bytes';
import { BodyView } from './BodyView';
import type { Flow, FlowPi, FlowRequest } from '../../../src-preload/network-flows';
import { formatDurationMs, piFormWord, piKindWord, piWhereWord, tlsKind } from './flow-words';
import { Masked } from './Masked';

/** Exchanges listed at once: a long keep-alive connection lists its first ones and says how many more. */
const LISTED = 200;

export function FlowDetail({ sessionId, flow, stageName, onClose }: { sessionId: string; flow: Flow; stageName: (id: string) => string; onClose: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [chosen, setChosen] = useState<string | null>(null);
  const request = flow.requests.find((r) => r.requestId === chosen) ?? flow.requests[0] ?? null;
  const kind = tlsKind(flow);
  const a = flow.app;
  return (
    <section className="flow-detail card" aria-label={t('network.detail.title')} data-testid="flow-detail"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <div className="row">
        <h3><code>{flow.host}:{flow.port}</code></h3>
        <span className="spacer" />
        <button onClick={onClose} aria-label={t('checklist.close')} data-testid="flow-detail-close">×</button>
      </div>
      <dl className="flow-facts">
        <div><dt>{t('network.col.time')}</dt><dd className="mono">{clockTime(flow.at)}{flow.stage !== null && <span className="muted"> · {stageName(flow.stage)}</span>}</dd></div>
        <div><dt>{t('network.col.app')}</dt><dd data-testid="flow-detail-app">
          {a.packageName ? <><code>{a.packageName}</code>{a.uid !== null && <span className="muted"> · <code>uid {a.uid}</code></span>}</> : <span className="warn">{t(`network.attribution.${a.attribution}`)}</span>}
          {!a.packageName && a.candidates.length > 0 && <div className="small">{t('network.detail.candidates')} {a.candidates.map((c) => <code key={c}>{c} </code>)}</div>}
          {!a.packageName && a.foreground && <div className="small">{t('network.detail.foreground')} <code>{a.foreground}</code></div>}
          {!a.packageName && a.alive.length > 0 && <div className="small">{t('network.detail.alive')} {a.alive.map((c) => <code key={c}>{c} </code>)}</div>}
        </dd></div>
        {flow.sni && flow.sni !== flow.host && <div><dt>SNI</dt><dd><code>{flow.sni}</code></dd></div>}
        <div><dt>{t('network.col.sdk')}</dt><dd>{flow.sdk ? <><span translate="no">{lang.startsWith('zh') ? flow.sdk.name.zh : flow.sdk.name.en} · {flow.sdk.vendor}</span>{flow.sdk.scope === 'company' && <div className="muted small">{t('network.detail.companyScope')}</div>}</> : t('network.noSdk')}</dd></div>
        <div><dt>{t('network.col.tls')}</dt><dd><Trans i18nKey={`network.via.${flow.via}`} components={{ code: <code /> }} /> · {t(`network.tls.${kind}`)}{kind === 'tunnelled' && <div className="muted small">{t('network.detail.tunnelled')}</div>}</dd></div>
        <div><dt>{t('network.col.bytes')}</dt><dd>{flow.closed ? t('network.detail.bytes', { up: formatBytes(flow.closed.bytesUp), down: formatBytes(flow.closed.bytesDown), duration: formatDurationMs(flow.closed.durationMs) }) : t('network.stillOpen')}
          {flow.closed?.error && <div className="bad small">{t('network.detail.error')} <code>{visibleText(flow.closed.error)}</code></div>}</dd></div>
        <div><dt>{t('network.detail.flowId')}</dt><dd><code>{flow.flowId}</code>{flow.orphan && <div className="warn small">{t('network.orphan')}</div>}</dd></div>
      </dl>
      {flow.pi.length > 0 && (
        <div className="flow-pi" data-testid="flow-detail-pi">
          <h4>{t('network.detail.pi', { count: flow.pi.length })}</h4>
          <ul>
            {flow.pi.map((p) => (
              <li key={p.seq}>{t('network.detail.piLine', { kind: piKindWord(p.kind, lang), form: piFormWord(p.form, lang), where: piWhereWord(p.where, lang) })} <mark><code>{p.masked}</code></mark></li>
            ))}
          </ul>
        </div>
      )}
      {flow.requests.length > 0 && (
        <div className="flow-requests">
          <h4>{t('network.detail.requests', { count: flow.requests.length })}</h4>
          <ul className="request-list">
            {flow.requests.slice(0, LISTED).map((r) => (
              <li key={r.seq}>
                <button className={r === request ? 'link active' : 'link'} aria-pressed={r === request} onClick={() => setChosen(r.requestId)} data-testid="flow-request">
                  <code>{visibleText(r.method)} {r.status ?? '—'}</code> <code className="url"><Masked text={r.url} pis={flow.pi.filter((p) => p.requestId === r.requestId)} /></code>
                </button>
              </li>
            ))}
          </ul>
          {flow.requests.length > LISTED && <p className="muted small">{t('network.detail.moreRequests', { count: flow.requests.length - LISTED })}</p>}
        </div>
      )}
      {flow.dropped > 0 && <p className="muted small">{t('network.detail.dropped', { count: flow.dropped })}</p>}
      {request && <RequestView sessionId={sessionId} request={request} pis={flow.pi.filter((p) => p.requestId === request.requestId)} />}
    </section>
  );
}

function RequestView({ sessionId, request, pis }: { sessionId: string; request: FlowRequest; pis: readonly FlowPi[] }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="request-view" data-testid="flow-request-detail">
      <p className="request-line"><code><Masked text={`${request.method} ${request.url}`} pis={pis} /></code> <code>{visibleText(request.httpVersion)}</code> <span className="muted">→</span> <code>{request.status ?? t('network.detail.noResponse')}</code>
        {request.durationMs !== null && <span className="muted small"> · {formatDurationMs(request.durationMs)}</span>}</p>
      <Headers title={t('network.detail.requestHeaders')} headers={request.requestHeaders} pis={pis} />
      <h5>{t('network.detail.requestBody')}</h5>
      <BodyView sessionId={sessionId} body={request.requestBody} pis={pis} testId="request-body" />
      <Headers title={t('network.detail.responseHeaders')} headers={request.responseHeaders} pis={[]} />
      <h5>{t('network.detail.responseBody')}</h5>
      <BodyView sessionId={sessionId} body={request.responseBody} pis={[]} testId="response-body" />
    </div>
  );
}

function Headers({ title, headers, pis }: { title: string; headers: [string, string][]; pis: readonly FlowPi[] }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <h5>{title}</h5>
      {headers.length === 0 ? <p className="muted small">{t('network.detail.noHeaders')}</p> : (
        <table className="headers">
          <tbody>{headers.map(([k, v], i) => <tr key={i}><th><code>{visibleText(k)}</code></th><td><code><Masked text={v} pis={pis} /></code></td></tr>)}</tbody>
        </table>
      )}
    </>
  );
}
