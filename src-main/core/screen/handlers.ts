/** The screen slice of the API: a phone's live screen as H.264, watched under a lease. (Being built: #28.) */
import type { Handlers } from '../../bridge/dispatcher.js';
import { WorkbenchError } from '../errors.js';

type ScreenMethods = 'screen.watch' | 'screen.unwatch';

export function screenHandlers(): Pick<Handlers, ScreenMethods> {
  const unavailable = async (): Promise<never> => {
    throw new WorkbenchError('screen.unavailable', 'The H.264 live screen is not available; the screen tab shows screenshots', {});
  };
  return { 'screen.watch': unavailable, 'screen.unwatch': unavailable };
}
