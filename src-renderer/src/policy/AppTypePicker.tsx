/** The 39 app types of 国信办秘字〔2021〕14号 as a list to pick from; the 13 that need no personal information are marked. */
import type React from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppTypeView } from '../../../src-preload/policy';
import { api } from '../api-client';
import { loc } from '../checklist/checklist-state';

let cached: AppTypeView[] | null = null;

export function AppTypePicker({ value, onChange, disabled }: { value: number | null; onChange: (no: number) => void; disabled?: boolean }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [types, setTypes] = useState<AppTypeView[]>(cached ?? []);
  useEffect(() => {
    if (cached) return;
    void api.call('policy.appTypes', {}).then((o) => {
      if (o.ok) setTypes((cached = o.value));
    });
  }, []);
  const chosen = types.find((x) => x.no === value);
  return (
    <label className="app-type-picker">
      {t('policy.appType')}
      <select value={value ?? ''} disabled={disabled} onChange={(e) => onChange(Number(e.target.value))} data-testid="app-type">
        <option value="" disabled>{t('policy.pickType')}</option>
        {types.map((x) => <option key={x.no} value={x.no}>{x.no}. {loc(x.name, i18n.language)}{x.noPiNeeded ? ` — ${t('policy.noPiNeeded')}` : ''}</option>)}
      </select>
      {chosen && <span className="muted small">{loc(chosen.basicFunction, i18n.language)}</span>}
    </label>
  );
}
