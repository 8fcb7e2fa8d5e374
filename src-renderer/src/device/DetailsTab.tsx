/** Device details read in one round trip: hardware, build, screen, battery, root, storage, clock offset. */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { visibleText as shown } from '../../../src-preload/visible-text';
import { callOrToast, useAsync } from '../workbench-state';

export function DetailsTab({ serial }: { serial: string }): React.JSX.Element {
  const { t } = useTranslation();
  const [d, reload] = useAsync(() => callOrToast('device.details', { serial }), [serial]);
  if (!d) return <p className="muted" aria-busy="true">…</p>;
  const rows: Array<[string, string]> = [
    ['serial', d.serial],
    ['manufacturer', d.manufacturer ?? '—'],
    ['model', d.model ?? '—'],
    ['android', d.androidVersion ? `${d.androidVersion} (SDK ${d.sdk})` : '—'],
    ['abis', d.abis.join(', ') || '—'],
    ['fingerprint', d.fingerprint ?? '—'],
    ['screen', d.screen ? `${d.screen.width} × ${d.screen.height}${d.screen.density ? ` · ${d.screen.density} dpi` : ''}` : '—'],
    ['battery', d.batteryLevel === null ? '—' : `${d.batteryLevel}%`],
    ['root', t(d.rooted ? 'device.details.rooted' : 'device.details.notRooted')],
    ['storage', d.freeStorageBytes === null ? '—' : `${(d.freeStorageBytes / 1024 ** 3).toFixed(1)} GiB`],
    ['clock', d.clockOffsetMs === null ? '—' : `${d.clockOffsetMs > 0 ? '+' : ''}${d.clockOffsetMs} ms`],
  ];
  return (
    <div>
      <dl className="details" data-testid="device-details">
        {rows.map(([k, v]) => (
          <div key={k}><dt>{t(`device.details.${k}`)}</dt><dd className={k === 'fingerprint' || k === 'serial' ? 'mono' : undefined}>{shown(v)}</dd></div>
        ))}
      </dl>
      <button onClick={reload}>{t('device.details.refresh')}</button>
    </div>
  );
}
