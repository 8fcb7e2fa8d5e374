/**
 * Jobs finished per minute over the last half hour as a small inline SVG bar chart (no chart library): one bar per
 * minute, done below and failed stacked above it, the newest minute on the right. Its summary is said in words for
 * screen readers; each bar carries its counts as data for tests.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';

const WIDTH = 300;
const HEIGHT = 56;

export function FarmHistoryChart({ history, testId }: { history: Array<{ done: number; failed: number }>; testId: string }): React.JSX.Element {
  const { t } = useTranslation();
  const top = Math.max(1, ...history.map((b) => b.done + b.failed));
  const step = WIDTH / Math.max(1, history.length);
  const done = history.reduce((n, b) => n + b.done, 0);
  const failed = history.reduce((n, b) => n + b.failed, 0);
  const label = t('farm.chart.label', { minutes: history.length, done, failed });
  return (
    <figure className="farm-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={label} data-testid={testId}>
        <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="farm-chart-axis" />
        {history.map((b, i) => {
          const hDone = (b.done / top) * (HEIGHT - 2);
          const hFailed = (b.failed / top) * (HEIGHT - 2);
          const x = i * step + 1;
          return (
            <g key={i} data-testid="farm-bar" data-done={b.done} data-failed={b.failed}>
              {b.done > 0 && <rect x={x} y={HEIGHT - 1 - hDone} width={step - 2} height={hDone} className="farm-bar-done" />}
              {b.failed > 0 && <rect x={x} y={HEIGHT - 1 - hDone - hFailed} width={step - 2} height={hFailed} className="farm-bar-failed" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}
