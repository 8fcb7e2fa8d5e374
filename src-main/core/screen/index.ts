/** The screen capability's public surface: phones' H.264 screen streams, their live watches, the API slice. */
export type { AccessUnit, ScreenConsumer, ScreenStreams, StreamFormat, StreamSettings } from './contracts.js';
export { PhoneScreenStreams } from './screen-streams.js';
export { LiveScreens } from './live-screens.js';
export { screenHandlers } from './handlers.js';
export { DEFAULT_STREAM_SETTINGS, STREAM_TIMING } from './screen-stream.js';

import type { DeviceBridge } from '../adb/device-bridge.js';
import type { EventHub } from '../../bridge/event-hub.js';
import { LiveScreens } from './live-screens.js';
import { PhoneScreenStreams } from './screen-streams.js';

/** The capability as the workbench holds it: the streams (a session's recorder attaches here) and the live watches. */
export class ScreenCapability {
  readonly streams: PhoneScreenStreams;
  readonly live: LiveScreens;

  constructor(bridge: () => DeviceBridge, hub: EventHub) {
    this.streams = new PhoneScreenStreams({ bridge });
    this.live = new LiveScreens(this.streams, hub);
  }

  async stopAll(): Promise<void> {
    this.live.close();
    await this.streams.stopAll();
  }
}
