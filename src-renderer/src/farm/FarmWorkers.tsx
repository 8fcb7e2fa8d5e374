/**
 * The farm's workers as each last said: its name and host, the analyses it runs at once, when it was last heard
 * (a silent one is marked), and each phone it holds — idle, busy with a job, or away. Names, hosts, serials and
 * job ids are identifiers (in <code>), never translated.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkerSeen } from '../../../src-preload/farm';
import { formatDuration } from '../session/session-state';
import { visibleText as shown } from '../../../src-preload/visible-text';

/** The states a worker may write; anything else (another version's, a hand-written entry) is shown as it is. */
const STATES: readonly string[] = ['idle', 'busy', 'away'];

export function FarmWorkers({ workers, now, self }: { workers: WorkerSeen[]; now: number; self: string | null }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="farm-workers">
      <h2>{t('farm.workers.title', { count: workers.length })}</h2>
      {workers.length === 0 ? (
        <p className="empty">{t('farm.workers.none')}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr><th>{t('farm.workers.name')}</th><th>{t('farm.workers.host')}</th><th>{t('farm.workers.analyze')}</th><th>{t('farm.workers.heard')}</th><th>{t('farm.workers.phones')}</th></tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <tr key={w.name} data-testid="farm-worker" data-name={w.name} data-alive={w.alive}>
                <td><code>{shown(w.name)}</code>{w.name === self && <> <span className="badge">{t('farm.workers.thisOne')}</span></>}</td>
                <td><code>{shown(w.host)}</code></td>
                <td>{w.analyze}</td>
                <td className={w.alive ? undefined : 'bad'}>{w.alive ? t('farm.workers.alive') : t('farm.workers.silent', { ago: formatDuration(now - w.beatAt) })}</td>
                <td>
                  {w.phones.length === 0 ? <span className="muted">{t('farm.workers.noPhones')}</span> : (
                    <ul className="farm-phones">
                      {w.phones.map((p) => (
                        <li key={p.serial} data-testid="farm-phone" data-serial={p.serial} data-state={p.state}>
                          <code>{shown(p.serial)}</code> {STATES.includes(p.state) ? <span className={`badge farm-${p.state}`}>{t(`farm.phoneState.${p.state}`)}</span> : <code>{shown(String(p.state))}</code>}
                          {p.job && <> <code>{shown(p.job)}</code></>}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
