/**
 * The Farm page (issue #30): which farm the page reads, its workers with their phones, each queue's depth and the
 * half hour's throughput, the jobs a lab acts on (running, waiting, failed with reasons; Retry and Cancel), and
 * this workbench working for the farm when the tester says so. Redis not answering is a state of the page, said
 * with what to do; the page keeps asking every 2 s while it is shown.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { IdText } from '../components/IdText';
import { errorText } from '../error-text';
import { visibleText as shown } from '../../../src-preload/visible-text';
import { FarmConnectForm } from './FarmConnectForm';
import { FarmJobs } from './FarmJobs';
import { FarmJoinPanel } from './FarmJoinPanel';
import { FarmQueues } from './FarmQueues';
import { FarmWorkers } from './FarmWorkers';
import { useFarmStatus } from './use-farm-status';

export function FarmPage(): React.JSX.Element {
  const { t } = useTranslation();
  const { view, error, refresh } = useFarmStatus();
  const now = Date.now();
  return (
    <section className="page farm-page" data-testid="farm-page">
      <h1>{t('farm.title')}</h1>
      {view === undefined && !error && <p className="muted" aria-busy="true">{t('farm.loading')}</p>}
      {error && <p className="banner bad" role="alert"><IdText text={errorText(error, t)} /></p>}
      {view && (
        <>
          <FarmConnectForm connection={view.connection} onConnected={refresh} />
          {view.connection && !view.reachable && (
            <div className="banner bad" role="status" data-testid="farm-unreachable">
              <strong>{t('farm.unreachable.title')}</strong>
              <p><IdText text={t('farm.unreachable.what')} /></p>
              {view.problem && <p className="small" lang="en">{shown(view.problem)}</p>}
            </div>
          )}
          {view.status && (
            <>
              <FarmQueues queues={view.status.queues} />
              <FarmWorkers workers={view.status.workers} now={now} self={view.member?.name ?? null} />
              <FarmJobs queues={view.status.queues} now={now} onChanged={refresh} />
            </>
          )}
          {view.connection && <FarmJoinPanel member={view.member} onChanged={refresh} />}
        </>
      )}
    </section>
  );
}
