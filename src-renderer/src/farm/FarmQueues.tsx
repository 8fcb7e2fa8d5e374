/**
 * Each queue's depth — queued, waiting to retry, running, done, failed — with its pace over the last ten minutes,
 * the time it gives to empty the queue, and the half hour's history as bars.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueStatus } from '../../../src-preload/farm';
import { formatDuration } from '../session/session-state';
import { FarmHistoryChart } from './FarmHistoryChart';

export function FarmQueues({ queues }: { queues: QueueStatus[] }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="farm-queues">
      <h2>{t('farm.queues.title')}</h2>
      <div className="farm-queues">
        {queues.map((q) => (
          <div key={q.kind} className="farm-queue" data-testid={`farm-queue-${q.kind}`} data-waiting={q.waiting} data-delayed={q.delayed} data-active={q.active} data-done={q.done} data-failed={q.failed}>
            <h3>{t(`farm.kind.${q.kind}`)}</h3>
            <dl className="farm-counts">
              <div><dt>{t('farm.queues.waiting')}</dt><dd>{q.waiting}</dd></div>
              <div><dt>{t('farm.queues.delayed')}</dt><dd>{q.delayed}</dd></div>
              <div><dt>{t('farm.queues.active')}</dt><dd>{q.active}</dd></div>
              <div><dt>{t('farm.queues.done')}</dt><dd>{q.done}</dd></div>
              <div><dt>{t('farm.queues.failed')}</dt><dd className={q.failed ? 'bad' : undefined}>{q.failed}</dd></div>
            </dl>
            <p className="muted small">
              {q.perMinute === null ? t('farm.queues.noPace') : t('farm.queues.pace', { perMinute: q.perMinute.toFixed(1) })}
              {' · '}
              {q.etaSeconds === null ? t('farm.queues.noEta') : q.etaSeconds === 0 ? t('farm.queues.empty') : t('farm.queues.eta', { eta: formatDuration(q.etaSeconds * 1000) })}
            </p>
            <FarmHistoryChart history={q.history} testId={`farm-chart-${q.kind}`} />
          </div>
        ))}
      </div>
    </section>
  );
}
