/**
 * App-op bookkeeping as AppOpsService keeps it: per package and op, the mode and the LAST access and
 * reject per uid state; printed as `dumpsys appops --package P` and `cmd appops get P`.
 */
import { formatDumpTime, formatDuration } from './dump-time.js';

export type UidState = 'pers' | 'top' | 'fgsvcl' | 'fgsvc' | 'fg' | 'bg' | 'cch';

interface OpRecord {
  mode: 'allow' | 'ignore' | 'deny' | 'foreground';
  access: Map<UidState, number>;
  reject: Map<UidState, number>;
}

export class AppOps {
  private ops = new Map<string, Map<string, OpRecord>>();

  constructor(private now: () => number) {}

  private record(pkg: string, op: string): OpRecord {
    let byOp = this.ops.get(pkg);
    if (!byOp) this.ops.set(pkg, (byOp = new Map()));
    let rec = byOp.get(op);
    if (!rec) byOp.set(op, (rec = { mode: 'allow', access: new Map(), reject: new Map() }));
    return rec;
  }

  noteAccess(pkg: string, op: string, state: UidState): void {
    this.record(pkg, op).access.set(state, this.now());
  }

  noteReject(pkg: string, op: string, state: UidState, mode: OpRecord['mode'] = 'ignore'): void {
    const rec = this.record(pkg, op);
    rec.mode = mode;
    rec.reject.set(state, this.now());
  }

  setMode(pkg: string, op: string, mode: OpRecord['mode']): void {
    this.record(pkg, op).mode = mode;
  }

  forget(pkg: string): void {
    this.ops.delete(pkg);
  }

  dumpPackage(pkg: string, uid: number, state: UidState, tz: number): string {
    const now = this.now();
    const out = ['Current AppOps Service state:', '  Settings:', '    top_state_settle_time=+5s0ms',
      '    fg_service_state_settle_time=+5s0ms', '    bg_state_settle_time=+1s0ms', ''];
    const byOp = this.ops.get(pkg);
    out.push(`  Uid u0a${uid - 10000}:`, `    state=${state}`, '    capability=LCMN', '    appWidgetVisible=false');
    if (byOp?.size) {
      out.push(`    Package ${pkg}:`);
      for (const [op, rec] of byOp) {
        out.push(`      ${op} (${rec.mode}):`);
        for (const [st, t] of rec.access) out.push(`          Access: [${st}-s] ${formatDumpTime(t, tz)} (${formatDuration(t - now)})`);
        // Real dumps print no space between the key and the time on Reject lines.
        for (const [st, t] of rec.reject) out.push(`          Reject: [${st}-s]${formatDumpTime(t, tz)} (${formatDuration(t - now)})`);
      }
    }
    return out.join('\n') + '\n';
  }

  cmdGet(pkg: string): string {
    const byOp = this.ops.get(pkg);
    if (!byOp?.size) return 'No operations.\n';
    const now = this.now();
    const lines: string[] = [];
    for (const [op, rec] of byOp) {
      const access = Math.max(0, ...rec.access.values());
      const reject = Math.max(0, ...rec.reject.values());
      let line = `${op}: ${rec.mode}`;
      if (access) line += `; time=${formatDuration(now - access)} ago`;
      if (reject) line += `; rejectTime=${formatDuration(now - reject)} ago`;
      lines.push(line);
    }
    return lines.join('\n') + '\n';
  }
}
