/**
 * Small toybox-style commands of the simulated phone: getprop, echo, id, date, settings (settings-command.ts), wm, ls, cat, rm,
 * mkdir, sleep, pidof, ps, input, screencap, uiautomator — with the output layouts of a real Android 13/14.
 */
import type { CommandFn } from '../shell/interpreter.js';
import type { AndroidSystem } from '../android/android-system.js';
import { userName } from '../android/activity-manager.js';
import { renderScreen } from '../android/screen-render.js';
import { uiautomatorXml } from '../android/ui-tree.js';
import { formatDeviceTime } from '../android/log-format.js';
import { FsError, MemoryFs, S_IFDIR } from '../android/memory-fs.js';
import { settingsCommand } from './settings-command.js';

export function basicCommands(sys: AndroidSystem): Record<string, CommandFn> {
  const fsCall = async (err: { write(s: string): boolean }, name: string, fn: () => void): Promise<number> => {
    try {
      fn();
      return 0;
    } catch (e) {
      err.write(`${name}: ${e instanceof FsError ? e.message : String(e)}\n`);
      return 1;
    }
  };
  return {
    true: async () => 0,
    false: async () => 1,
    getprop: async ({ argv, out }) => {
      const props = sys.properties();
      if (argv[1]) {
        out.write(`${props[argv[1]] ?? argv[2] ?? ''}\n`);
        return 0;
      }
      out.write(Object.keys(props).sort().map((k) => `[${k}]: [${props[k]}]\n`).join(''));
      return 0;
    },
    echo: async ({ argv, out }) => {
      const noNewline = argv[1] === '-n';
      out.write(argv.slice(noNewline ? 2 : 1).join(' ') + (noNewline ? '' : '\n'));
      return 0;
    },
    id: async ({ out }) => {
      out.write('uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),3006(net_bw_stats),3009(readproc),3011(uhid) context=u:r:shell:s0\n');
      return 0;
    },
    whoami: async ({ out }) => (out.write('shell\n'), 0),
    // An unrooted phone: no su anywhere; everything else is a toybox applet in /system/bin.
    which: async ({ argv, out }) => {
      let status = 0;
      for (const name of argv.slice(1)) {
        if (name !== 'su' && name in sys.shellCommands) out.write(`/system/bin/${name}\n`);
        else status = 1;
      }
      return status;
    },
    df: async ({ out }) => {
      const total = 115_003_148;
      const free = Math.floor(sys.fs.freeBytes / 1024);
      out.write(`Filesystem       1K-blocks     Used Available Use% Mounted on\n/dev/block/dm-48 ${total} ${total - free} ${free} ${Math.round(((total - free) / total) * 100)}% /data\n`);
      return 0;
    },
    date: async ({ argv, out }) => {
      const now = sys.clock.now();
      if (argv[1] === '+%s.%N') out.write(`${Math.floor(now / 1000)}.${String(now % 1000).padStart(3, '0')}000000\n`);
      else if (argv[1] === '+%s') out.write(`${Math.floor(now / 1000)}\n`);
      else out.write(`${formatDeviceTime(now, sys.device.timezoneOffsetMinutes, true)} CST\n`);
      return 0;
    },
    settings: settingsCommand(sys.settings),
    wm: async ({ argv, out }) => {
      if (argv[1] === 'size') out.write(`Physical size: ${sys.device.screen.width}x${sys.device.screen.height}\n`);
      else if (argv[1] === 'density') out.write(`Physical density: ${sys.device.screen.density}\n`);
      return 0;
    },
    sleep: async ({ argv }) => {
      await sys.clock.sleep(Math.min(Number(argv[1]) || 0, 3600) * 1000);
      return 0;
    },
    ls: async ({ argv, out, err }) => {
      const paths = argv.slice(1).filter((a) => !a.startsWith('-'));
      let status = 0;
      for (const path of paths.length ? paths : ['/']) {
        const e = sys.fs.stat(path);
        if (!e) {
          err.write(`ls: ${path}: No such file or directory\n`);
          status = 1;
        } else if ((e.mode & S_IFDIR) === S_IFDIR) out.write(sys.fs.list(path).map((n) => n + '\n').join(''));
        else out.write(path + '\n');
      }
      return status;
    },
    cat: async ({ argv, out, err, stdin }) => {
      if (argv.length === 1 && stdin) {
        out.write(stdin);
        return 0;
      }
      for (const path of argv.slice(1)) {
        const proc = sys.procFile(MemoryFs.normalize(path));
        if (proc === 'denied') {
          err.write(`cat: ${path}: Permission denied\n`);
          return 1;
        }
        const data = proc ?? sys.fs.readFile(path);
        if (!data) {
          err.write(`cat: ${path}: No such file or directory\n`);
          return 1;
        }
        for (let off = 0; off < data.length && !out.closed; off += 256 * 1024) {
          if (!out.write(data.subarray(off, off + 256 * 1024))) await out.waitForDrain();
        }
      }
      return 0;
    },
    rm: async ({ argv, err }) => {
      const recursive = argv.some((a) => /^-\w*r/.test(a));
      const force = argv.some((a) => /^-\w*f/.test(a));
      let status = 0;
      for (const path of argv.slice(1).filter((a) => !a.startsWith('-'))) {
        status |= await fsCall(err, 'rm', () => {
          if (!sys.fs.remove(path, recursive) && !force) throw new FsError(`${path}: No such file or directory`);
        });
      }
      return status;
    },
    mkdir: async ({ argv, err }) => {
      const parents = argv.includes('-p');
      let status = 0;
      for (const path of argv.slice(1).filter((a) => !a.startsWith('-'))) status |= await fsCall(err, 'mkdir', () => sys.fs.mkdir(path, parents));
      return status;
    },
    pidof: async ({ argv, out }) => {
      const pids = [...sys.am.processes.values()].filter((p) => argv.slice(1).includes(p.name)).map((p) => p.pid);
      if (!pids.length) return 1;
      out.write(pids.join(' ') + '\n');
      return 0;
    },
    ps: async ({ argv, out }) => {
      const o = argv.indexOf('-o');
      if (o > 0 && argv[o + 1]) {
        const cols = argv[o + 1]!.split(',').map((c) => c.toUpperCase());
        const cell = (p: { pid: number; uid: number; name: string }, c: string): string =>
          c === 'PID' ? String(p.pid) : c === 'UID' ? String(p.uid) : c === 'USER' ? userName(p.uid) : c === 'PPID' ? (p.pid === 1 ? '0' : '640') : c === 'NAME' || c === 'ARGS' || c === 'CMD' ? p.name : '?';
        out.write(cols.join(' ') + '\n');
        for (const p of [...sys.am.processes.values()].sort((a, b) => a.pid - b.pid)) out.write(cols.map((c) => cell(p, c)).join(' ') + '\n');
        return 0;
      }
      out.write('USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n');
      out.write(sys.am.psLines(userName).map((l) => l + '\n').join(''));
      return 0;
    },
    input: async ({ argv, err }) => {
      const [, verb, ...args] = argv;
      const src = ['touchscreen', 'keyboard', 'mouse'].includes(verb ?? '') ? args.shift() : verb;
      const rest = src === verb ? args : args;
      const n = rest.map(Number);
      switch (src) {
        case 'tap':
          if (n.length < 2 || n.some((v) => !Number.isFinite(v))) break;
          sys.tap(n[0]!, n[1]!);
          return 0;
        case 'swipe':
          if (n.length < 4 || n.some((v) => !Number.isFinite(v))) break;
          sys.swipe(n[0]!, n[1]!, n[2]!, n[3]!, n[4] !== undefined && Number.isFinite(n[4]) ? Math.max(0, n[4]) : 300);
          return 0;
        case 'keyevent':
          for (const k of rest) sys.key(k);
          return 0;
        case 'text':
          sys.inputEvents++;
          return 0;
      }
      err.write('Usage: input [<source>] <command> [<arg>...]\n');
      return 1;
    },
    screencap: async ({ argv, out }) => {
      const shot = renderScreen(sys.screen(), sys.device.screen.width, sys.device.screen.height, formatDeviceTime(sys.clock.now(), sys.device.timezoneOffsetMinutes).slice(6, 11));
      const file = argv.slice(1).find((a) => !a.startsWith('-'));
      if (file) sys.fs.writeFile(file, shot);
      else if (!out.write(shot)) await out.waitForDrain();
      return 0;
    },
    uiautomator: async ({ argv, out, err }) => {
      if (argv[1] !== 'dump') {
        err.write('Usage: uiautomator dump [--compressed] [file]\n');
        return 1;
      }
      const file = argv.slice(2).find((a) => !a.startsWith('-')) ?? '/sdcard/window_dump.xml';
      const screen = sys.screen();
      if (!screen) {
        err.write('ERROR: null root node returned by UiTestAutomationBridge.\n');
        return 1;
      }
      const xml = uiautomatorXml(screen, sys.device.screen.width, sys.device.screen.height);
      if (file === '/dev/tty' || file === '/dev/stdout') out.write(xml);
      else sys.fs.writeFile(file, Buffer.from(xml));
      out.write(`UI hierchary dumped to: ${file}\n`);
      return 0;
    },
  };
}
