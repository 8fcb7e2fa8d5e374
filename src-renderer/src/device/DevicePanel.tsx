/** One phone's workspace: details, apps, the live screen with its UI tree, and a shell, as keyboard-reachable tabs. */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DetailsTab } from './DetailsTab';
import { AppsTab } from './AppsTab';
import { ScreenTab } from './ScreenTab';
import { ShellTab } from './ShellTab';

const TABS = ['details', 'apps', 'screen', 'shell'] as const;
type Tab = (typeof TABS)[number];

export function DevicePanel({ serial, onClose }: { serial: string; onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('screen');
  const panel = useRef<HTMLElement>(null);
  // The live screen is sized to the window's height: bring the panel to the top so the whole phone and its
  // keys are in view on a 1366×768 laptop.
  useEffect(() => {
    if (tab === 'screen') panel.current?.scrollIntoView({ block: 'start' });
  }, [tab]);
  return (
    <section ref={panel} className="device-panel" aria-label={serial} data-testid="device-panel">
      <div className="tabs" role="tablist" onKeyDown={(e) => {
        const i = TABS.indexOf(tab);
        if (e.key === 'ArrowRight') setTab(TABS[(i + 1) % TABS.length]!);
        if (e.key === 'ArrowLeft') setTab(TABS[(i + TABS.length - 1) % TABS.length]!);
      }}>
        <strong className="mono">{serial}</strong>
        {TABS.map((name) => (
          <button key={name} role="tab" aria-selected={tab === name} className={tab === name ? 'tab active' : 'tab'} onClick={() => setTab(name)} data-testid={`tab-${name}`}>
            {t(`device.tabs.${name}`)}
          </button>
        ))}
        <span className="spacer" />
        <button onClick={onClose} aria-label={t('device.close')}>×</button>
      </div>
      <div role="tabpanel">
        {tab === 'details' && <DetailsTab serial={serial} />}
        {tab === 'apps' && <AppsTab serial={serial} />}
        {tab === 'screen' && <ScreenTab serial={serial} />}
        {tab === 'shell' && <ShellTab serial={serial} />}
      </div>
    </section>
  );
}
