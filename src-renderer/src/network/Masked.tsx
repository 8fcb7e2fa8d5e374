/** Text from the phone as the detail pane shows it: escaped, controls made visible, its values masked and highlighted. */
import type React from 'react';
import { visibleText } from '../../../src-preload/visible-text';
import type { FlowPi } from '../../../src-preload/network-flows';
import { maskedSegments } from './pi-mask';

export function Masked({ text, pis }: { text: string; pis: readonly FlowPi[] }): React.JSX.Element {
  return <>{maskedSegments(visibleText(text), pis).map((s, i) => (s.pi ? <mark key={i} className="pi-mark" data-testid="pi-mark">{s.text}</mark> : s.text))}</>;
}
