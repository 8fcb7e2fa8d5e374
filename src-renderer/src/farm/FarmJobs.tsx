/**
 * The farm's jobs a lab acts on: those running (worker, phone, time so far, attempt), those waiting (Cancel) and
 * those failed for good with their reasons (Retry, Cancel). A failure's reason is the worker's own words, in
 * English: marked so, whatever the page's language. The core refuses what it must (a running job is never pulled
 * from its worker); its refusal is said above the tables in the tester's language.
 */
import type React from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError } from '../../../src-preload/api';
import type { QueueStatus } from '../../../src-preload/farm';
import { api } from '../api-client';
import { IdText } from '../components/IdText';
import { errorText } from '../error-text';
import { formatDuration } from '../session/session-state';
import { visibleText as shown } from '../../../src-preload/visible-text';

export function FarmJobs({ queues, now, onChanged }: { queues: QueueStatus[]; now: number; onChanged: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (method: 'farm.retry' | 'farm.cancel', jobId: string): Promise<void> => {
    setBusy(jobId);
    try {
      const o = await api.call(method, { jobId });
      setError(o.ok ? null : o.error);
      onChanged();
    } finally {
      setBusy(null);
    }
  };
  const running = queues.flatMap((q) => q.running.map((r) => ({ ...r, kind: q.kind })));
  const queued = queues.flatMap((q) => q.queued.map((r) => ({ ...r, kind: q.kind })));
  const failures = queues.flatMap((q) => q.failures.map((r) => ({ ...r, kind: q.kind })));
  const file = (f: string | null): React.ReactNode => (f ? <code className="farm-file">{shown(f)}</code> : <span className="muted">—</span>);

  return (
    <section className="card" data-testid="farm-jobs">
      <h2>{t('farm.jobs.title')}</h2>
      {error && <p className="bad" role="alert" data-testid="farm-job-error"><IdText text={errorText(error, t)} /></p>}

      <h3>{t('farm.jobs.running', { count: running.length })}</h3>
      {running.length === 0 ? <p className="empty">{t('farm.jobs.noneRunning')}</p> : (
        <table className="grid" data-testid="farm-running">
          <thead><tr><th>{t('farm.jobs.job')}</th><th>{t('farm.jobs.kind')}</th><th>{t('farm.jobs.file')}</th><th>{t('farm.jobs.worker')}</th><th>{t('farm.jobs.phone')}</th><th>{t('farm.jobs.elapsed')}</th><th>{t('farm.jobs.attempt')}</th></tr></thead>
          <tbody>
            {running.map((r) => (
              <tr key={r.id} data-testid="farm-running-job" data-id={r.id}>
                <td><code>{shown(r.id)}</code></td><td className="farm-kind">{t(`farm.kind.${r.kind}`)}</td><td>{file(r.file)}</td>
                <td>{r.worker ? <code>{shown(r.worker)}</code> : '—'}</td><td>{r.phone ? <code>{shown(r.phone)}</code> : <span className="muted">{t('farm.jobs.noPhone')}</span>}</td>
                <td>{r.since ? formatDuration(now - r.since) : '—'}</td><td>{r.attempt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('farm.jobs.queued', { count: queued.length })}</h3>
      {queued.length === 0 ? <p className="empty">{t('farm.jobs.noneQueued')}</p> : (
        <table className="grid" data-testid="farm-queued">
          <thead><tr><th>{t('farm.jobs.job')}</th><th>{t('farm.jobs.kind')}</th><th>{t('farm.jobs.file')}</th><th>{t('farm.jobs.state')}</th><th /></tr></thead>
          <tbody>
            {queued.map((r) => (
              <tr key={r.id} data-testid="farm-queued-job" data-id={r.id}>
                <td><code>{shown(r.id)}</code></td><td className="farm-kind">{t(`farm.kind.${r.kind}`)}</td><td>{file(r.file)}</td>
                <td>{r.retrying ? t('farm.jobs.retrying') : t('farm.jobs.waiting')}</td>
                <td><button disabled={busy === r.id} onClick={() => void act('farm.cancel', r.id)} data-testid="farm-cancel">{t('farm.jobs.cancel')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('farm.jobs.failed', { count: failures.length })}</h3>
      {failures.length === 0 ? <p className="empty">{t('farm.jobs.noneFailed')}</p> : (
        <table className="grid" data-testid="farm-failures">
          <thead><tr><th>{t('farm.jobs.job')}</th><th>{t('farm.jobs.kind')}</th><th>{t('farm.jobs.file')}</th><th>{t('farm.jobs.attempts')}</th><th>{t('farm.jobs.reason')}</th><th /></tr></thead>
          <tbody>
            {failures.map((f) => (
              <tr key={f.id} data-testid="farm-failure" data-id={f.id}>
                <td><code>{shown(f.id)}</code></td><td className="farm-kind">{t(`farm.kind.${f.kind}`)}</td><td>{file(f.file)}</td><td>{f.attempts}</td>
                <td lang="en" className="farm-reason" data-testid="farm-failure-reason">{shown(f.reason)}</td>
                <td className="farm-actions">
                  <button disabled={busy === f.id} onClick={() => void act('farm.retry', f.id)} data-testid="farm-retry">{t('farm.jobs.retry')}</button>
                  <button disabled={busy === f.id} onClick={() => void act('farm.cancel', f.id)} data-testid="farm-cancel">{t('farm.jobs.cancel')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
