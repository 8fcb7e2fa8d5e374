/** The explorer's methods on the workbench API (issue #29). */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { ExploreService } from './explore-service.js';

type ExploreMethods = 'explore.start' | 'explore.stop' | 'explore.status';

export function exploreHandlers(explore: ExploreService): Pick<Handlers, ExploreMethods> {
  return {
    'explore.start': async ({ sessionId, limits }) => explore.start(sessionId, limits),
    'explore.stop': async ({ sessionId }) => explore.stop(sessionId),
    'explore.status': async ({ sessionId }) => explore.status(sessionId),
  };
}
