/** One line of plain English per event, for the CLI's readable output. */
import type { MonitorEvent } from '../../../src-preload/monitor-events.js';

export function summarize(e: MonitorEvent): string {
  switch (e.type) {
    case 'permission.dialog': return `permission dialog opened for uid ${e.uid}`;
    case 'permission.result': return `${e.permission.replace('android.permission.', '')} → ${e.resultName}`;
    case 'permission.state': return `${e.permission.replace('android.permission.', '')} ${e.change}: granted=${e.granted} [${e.flags.join('|')}]`;
    case 'process.start': return `process ${e.process} (pid ${e.pid}) started for ${e.hostingType} ${e.component}${e.selfStart ? ' — self-start' : ''}${e.caller ? ` — started by ${e.caller}` : ''}`;
    case 'process.death': return `process ${e.process} (pid ${e.pid}) died ${e.state}`.trim();
    case 'package.installed': return `package ${e.packageName} installed${e.installer ? ` by ${e.installer}` : ''}`;
    case 'package.removed': return `package ${e.packageName} removed`;
    case 'identifier.access': return `device identifier requested: ${e.method}`;
    case 'appop.access': return `${e.op} accessed (${e.uidState})`;
    case 'appop.reject': return `${e.op} access rejected (${e.uidState})`;
    case 'app.foreground': return `foreground: ${e.component}`;
    case 'intent.start': return `${e.callerPackage ?? (e.callerUid === null ? 'unknown caller' : `uid ${e.callerUid}`)} started ${e.kind} ${e.target}${e.launcher ? ' (launcher)' : ''}`;
    case 'screen.state': return `screen ${e.on ? 'on' : 'off'}`;
    case 'device.disconnected': return 'device disconnected';
    case 'device.reconnected': return `device reconnected after ${Math.round((e.gapMs ?? 0) / 1000)} s`;
    case 'device.clock-refused': return `the phone's clock reads ${e.reported}, which cannot be right: host time is used instead`;
  }
}
