/** One line of plain English per event, for the CLI's readable output (report-html's Chinese is in event-description.ts). */
import type { MonitorEvent, SensitiveData } from '../../../src-preload/monitor-events.js';
import { gapText } from './gap-text.js';

export const SENSITIVE_DATA_EN: Record<SensitiveData, string> = {
  clipboard: 'clipboard', 'wifi-info': 'Wi-Fi connection info', 'cell-info': 'cell info (location)', 'running-apps': 'list of running apps',
  'foreground-app': 'foreground app (running tasks)', oaid: 'advertising id / OAID',
};

const OUTCOME_EN = { allowed: 'read', denied: 'refused', limited: 'limited to its own', unknown: 'looked up' } as const;

/** "10:14:36.188" (UTC) for a gap's edges (the CLI prints UTC; no Date-breaking value reaches toISOString). */
function utc(ms: number | null): string {
  const d = ms === null ? null : new Date(ms);
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(11, 23) : '?';
}

export function summarize(e: MonitorEvent): string {
  switch (e.type) {
    case 'permission.dialog': return `permission dialog opened for uid ${e.uid}`;
    case 'permission.result': return `${e.permission.replace('android.permission.', '')} → ${e.resultName}`;
    case 'permission.state': return `${e.permission.replace('android.permission.', '')} ${e.change}: granted=${e.granted} [${e.flags.join('|')}]`;
    case 'process.start': return `process ${e.process} (pid ${e.pid}) started for ${e.hostingType} ${e.component}${e.selfStart ? ' — self-start' : ''}${e.caller ? ` — started by ${e.caller}` : ''}`;
    case 'process.death': return `process ${e.process} (pid ${e.pid}) died ${e.state}`.trim();
    case 'process.killed': return `process ${e.process ?? '?'} (pid ${e.pid}) killed by ${e.killer}: ${e.reason}`;
    case 'app.crash': return e.crash === 'anr' ? `${e.process ?? '?'} stopped responding (ANR)${e.detail ? `: ${e.detail}` : ''}` : `${e.process ?? '?'}${e.pid !== null ? ` (pid ${e.pid})` : ''} crashed (${e.crash === 'java' ? 'Java exception' : 'native signal'}): ${e.detail}`;
    case 'package.updated': return `package ${e.packageName} updated`;
    case 'start.blocked': return `start of ${e.component ?? e.target}${e.callerPackage && e.callerPackage !== e.target ? ` by ${e.callerPackage}` : ''} refused by ${{ android: 'Android', miui: 'MIUI auto-start manager', coloros: 'ColorOS start-up manager', emui: 'Huawei iAware start control' }[e.blocker]} (${e.reason})`;
    case 'app.displayed': return `${e.component} displayed${e.ms !== null ? ` (+${e.ms} ms)` : ''}`;
    case 'sensitive.access': return `${SENSITIVE_DATA_EN[e.data]} ${OUTCOME_EN[e.outcome]}${e.uid !== null && !e.packageName ? ` by uid ${e.uid}` : ''} (${e.via})`;
    case 'log.gap': return gapText(e, utc).en;
    case 'package.installed': return `package ${e.packageName} installed${e.installer ? ` by ${e.installer}` : ''}`;
    case 'package.removed': return `package ${e.packageName} removed`;
    case 'identifier.access': return `device identifier requested: ${e.method}`;
    case 'appop.access': return `${e.op} accessed (${e.uidState})`;
    case 'appop.reject': return `${e.op} access rejected (${e.uidState})`;
    case 'app.foreground': return `foreground: ${e.component}`;
    case 'intent.start': return `${e.callerPackage ?? (e.callerUid === null ? 'unknown caller' : `uid ${e.callerUid}`)} ${e.allowed === false ? 'was refused starting' : 'started'} ${e.kind} ${e.target}${e.launcher ? ' (launcher)' : ''}${e.uidState ? ` (caller state ${e.uidState})` : ''}`;
    case 'screen.state': return `screen ${e.on ? 'on' : 'off'}`;
    case 'device.disconnected': return 'device disconnected';
    case 'device.reconnected': return `device reconnected after ${Math.round((e.gapMs ?? 0) / 1000)} s`;
    case 'device.clock-refused': return `the phone's clock reads ${e.reported}, which cannot be right: host time is used instead`;
  }
}
