/**
 * The App page's verdict on an APK's signatures, as apksigner gives it: verifies or not, then each scheme
 * (v1, v2, v3, v3.1) verified, failed with its reason, absent or not checked (v1 beside v2+ at minSdk ≥ 24),
 * and a rotated key's lineage.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import type { ApkAnalysis } from '../../../src-preload/api';
import { visibleText as shown } from '../../../src-preload/visible-text';

const SCHEMES = ['v1', 'v2', 'v3', 'v3.1'] as const;
const MARK: Record<string, string> = { verified: '✓', failed: '✗', absent: '—', 'not-checked': '·' };

export function SignatureVerdict({ verification }: { verification: ApkAnalysis['signatures']['verification'] }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <div data-testid="signature-verdict">
      <p className={verification.verified ? 'verdict ok' : 'verdict bad'} data-testid="signature-overall">
        <strong>{t(verification.verified ? 'apk.sig.verifies' : 'apk.sig.doesNotVerify')}</strong>
        <span className="muted small"> {t('apk.sig.rules', { minSdk: verification.minSdk })}</span>
      </p>
      <table className="schemes">
        <tbody>
          {SCHEMES.map((s) => {
            const r = verification.schemes[s];
            const lineage = r.signers.find((x) => x.lineage && x.lineage.length > 1)?.lineage;
            return (
              <tr key={s} data-testid={`scheme-${s}`} data-status={r.status}>
                <th scope="row">{s}</th>
                <td className="status">{MARK[r.status]} {t(`apk.sig.status.${r.status}`)}</td>
                <td className="small">
                  {r.reason && <><strong>{t(`apk.sig.kind.${r.reason.kind}`, { defaultValue: r.reason.kind })}</strong> <span className="muted mono">{shown(r.reason.detail)}</span></>}
                  {lineage && <span className="muted">{t('apk.sig.rotated', { count: lineage.length })}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
