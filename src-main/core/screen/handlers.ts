/** The screen slice of the API: a phone's live screen as H.264, watched under a lease (live-screens.ts). */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { LiveScreens } from './live-screens.js';

type ScreenMethods = 'screen.watch' | 'screen.unwatch';

export function screenHandlers(live: LiveScreens): Pick<Handlers, ScreenMethods> {
  return {
    'screen.watch': async ({ serial, watchId }) => live.watch(serial, watchId),
    'screen.unwatch': async ({ watchId }) => {
      live.unwatch(watchId);
      return null;
    },
  };
}
