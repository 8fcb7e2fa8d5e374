/** Live monitors and log replay: public surface of src-main/core/monitor. */
export { DeviceMonitor, type DeviceMonitorOptions, type MonitoredLine } from './device-monitor.js';
export { replay, type ReplayOptions } from './replay.js';
export { summarize } from './summary.js';
export { extract } from './extractors.js';
export { parseLogLine, type LogLine } from './log-line.js';
