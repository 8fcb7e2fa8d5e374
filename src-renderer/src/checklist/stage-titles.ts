/**
 * The open session's template stage titles by id, for event lines that name a stage (a stage-started mark):
 * provided by the guided workspace, read by its event feed and timeline. Outside a workspace, no titles.
 */
import { createContext, useContext } from 'react';

export type StageTitle = (id: string) => string | undefined;

export const StageTitles = createContext<StageTitle>(() => undefined);

export function useStageTitle(): StageTitle {
  return useContext(StageTitles);
}
