/** The device layer: public surface of src-main/core/adb. */
export { locateAdb, type AdbLocation } from './locate-adb.js';
export { AdbkitBridge, type DeviceBridge, type RawDevice } from './device-bridge.js';
export { DeviceWatcher } from './device-watcher.js';
