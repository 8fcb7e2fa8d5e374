/**
 * One event's line in the user's language, with the phone's identifiers in <code> and quoted words marked with
 * their language (the same parts report.html marks), so a Chinese screen shows no English outside them.
 */
import type React from 'react';
import type { TimelineEvent } from '../../../src-preload/api';
import { describeEvent } from '../../../src-preload/event-description';
import type { Said } from '../../../src-preload/said';
import { describeOptions, type StageTitleIn } from './event-text';

export function SaidLine({ said }: { said: Said }): React.JSX.Element {
  return (
    <>
      {said.map((p, i) => p.kind === 'code' ? <code key={i}>{p.text}</code> : p.kind === 'quote' ? <span key={i} className="quote" lang={p.lang ?? ''}>{p.text}</span> : <span key={i}>{p.text}</span>)}
    </>
  );
}

export function EventLine({ event, lang, stageTitle }: { event: TimelineEvent; lang: string; stageTitle?: StageTitleIn }): React.JSX.Element {
  return <SaidLine said={describeEvent(event, describeOptions(stageTitle))[lang.startsWith('zh') ? 'zh' : 'en']} />;
}
