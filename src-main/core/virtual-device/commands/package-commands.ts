/**
 * pm, am, monkey and cmd package/appops on the simulated phone, printing what Android 13/14 prints:
 * `Success` / `Failure [CODE: ...]`, `package:` lines, `am start -W` status blocks, monkey's summary.
 */
import { windowDump } from './window-dump.js';
import type { CommandFn } from '../shell/interpreter.js';
import type { AndroidSystem } from '../android/android-system.js';
import { runtimePermission } from '../android/permissions.js';
import { locationDump } from './identity-commands.js';

export function packageCommands(sys: AndroidSystem): Record<string, CommandFn> {
  const pm: CommandFn = async ({ argv, out, err }) => {
    const [, verb, ...args] = argv;
    const flags = args.filter((a) => a.startsWith('-'));
    const words = args.filter((a, i) => !a.startsWith('-') && !['--user', '-i', '--install-reason'].includes(args[i - 1] ?? ''));
    switch (verb) {
      case 'list': {
        if (words[0] === 'features') {
          out.write('feature:android.hardware.camera\nfeature:android.hardware.location.gps\nfeature:android.hardware.telephony\nfeature:android.software.webview\n');
          return 0;
        }
        if (words[0] !== 'packages') break;
        const filter = words[1];
        for (const p of [...sys.pm.packages.values()].sort((a, b) => a.name.localeCompare(b.name))) {
          if (flags.includes('-3') && p.system) continue;
          if (flags.includes('-s') && !p.system) continue;
          if (filter && !p.name.includes(filter)) continue;
          let line = `package:${flags.includes('-f') ? `${p.codePath}/base.apk=` : ''}${p.name}`;
          if (flags.includes('--show-versioncode')) line += ` versionCode:${p.versionCode}`;
          if (flags.includes('-U')) line += ` uid:${p.uid}`;
          out.write(line + '\n');
        }
        return 0;
      }
      case 'path': {
        const p = words[0] ? sys.pm.get(words[0]) : undefined;
        if (!p) return 1;
        out.write(`package:${p.codePath}/base.apk\n`);
        return 0;
      }
      case 'install': {
        const path = words[words.length - 1];
        if (!path) {
          err.write('Error: no package specified\n');
          return 1;
        }
        const bytes = sys.fs.readFile(path);
        if (!bytes) {
          out.write(`Failure [INSTALL_FAILED_INVALID_URI: Path ${path} does not exist]\n`);
          return 1;
        }
        const { line, pkg } = sys.pm.installApk(bytes, path);
        if (pkg && flags.includes('-g')) for (const perm of pkg.runtime.keys()) sys.pm.setGranted(pkg.name, perm, true);
        out.write(line + '\n');
        return pkg ? 0 : 1;
      }
      case 'uninstall': {
        const name = words[0] ?? '';
        sys.forceStop(name);
        const ok = sys.pm.uninstall(name);
        out.write(ok ? 'Success\n' : 'Failure [DELETE_FAILED_INTERNAL_ERROR]\n');
        return ok ? 0 : 1;
      }
      case 'clear': {
        const ok = sys.clearData(words[0] ?? '');
        out.write(ok ? 'Success\n' : 'Failed\n');
        return ok ? 0 : 1;
      }
      case 'grant':
      case 'revoke': {
        const [name, perm] = words;
        const p = name ? sys.pm.get(name) : undefined;
        if (!p) {
          err.write(`Exception occurred while executing '${verb}':\njava.lang.IllegalArgumentException: Unknown package: ${name}\n`);
          return 255;
        }
        if (!perm || !runtimePermission(perm) || !p.runtime.has(perm)) {
          err.write(`Exception occurred while executing '${verb}':\njava.lang.SecurityException: Package ${name} has not requested permission ${perm}\n`);
          return 255;
        }
        if (verb === 'grant') sys.pm.setGranted(name!, perm, true);
        else sys.revokePermission(name!, perm);
        return 0;
      }
    }
    err.write(`Unknown command: ${verb ?? ''}\n`);
    return 1;
  };

  const am: CommandFn = async ({ argv, out, err }) => {
    const [, verb, ...args] = argv;
    if (verb === 'force-stop' || verb === 'kill') {
      const name = args.filter((a) => !a.startsWith('-') && a !== '0').pop();
      if (name) sys.forceStop(name);
      return 0;
    }
    if (verb === 'broadcast') {
      const a = args.indexOf('-a');
      const action = a >= 0 ? args[a + 1] : undefined;
      if (action === 'android.net.conn.CONNECTIVITY_CHANGE') sys.emit('signal', { type: 'connectivity' });
      out.write(`Broadcasting: Intent { act=${action ?? ''} flg=0x400000 }\nBroadcast completed: result=0\n`);
      return 0;
    }
    if (verb === 'start' || verb === 'start-activity') {
      const n = args.indexOf('-n');
      const component = n >= 0 ? args[n + 1] : undefined;
      const a = args.indexOf('-a');
      const action = a >= 0 ? args[a + 1] : undefined;
      // The user-CA path (ca-install-flow.ts): Settings' security page, or the certificate installer asked directly.
      if (action === 'android.settings.SECURITY_SETTINGS' && !component) {
        out.write(`Starting: Intent { act=${action} }\n`);
        sys.caInstall.openSecuritySettings();
        return 0;
      }
      if (action === 'android.credentials.INSTALL' || component?.startsWith('com.android.certinstaller/')) {
        const intent = [action && `act=${action}`, component && `cmp=${component}`].filter(Boolean).join(' ');
        out.write(`Starting: Intent { ${intent} }\n`);
        sys.caInstall.openInstallerFromIntent(action ? `act=${action}` : 'act=android.intent.action.VIEW');
        return 0;
      }
      const wait = args.includes('-W');
      const pkg = component?.split('/')[0];
      const intent = `Intent { act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] cmp=${component} }`;
      out.write(`Starting: ${intent}\n`);
      const result = pkg ? sys.launch(pkg, 'am') : undefined;
      if (!result?.ok) {
        out.write(`Error type 3\nError: Activity class {${component}} does not exist.\n`);
        return 1;
      }
      if (wait) {
        out.write(`Status: ok\nLaunchState: ${result.cold ? 'COLD' : 'WARM'}\nActivity: ${result.activity}\nTotalTime: ${result.totalTime}\nWaitTime: ${result.totalTime + 4}\nComplete\n`);
      }
      return 0;
    }
    err.write(`Unknown command: ${verb ?? ''}\n`);
    return 1;
  };

  const monkey: CommandFn = async ({ argv, out, err }) => {
    const p = argv.indexOf('-p');
    const pkg = p >= 0 ? argv[p + 1] : undefined;
    const result = pkg ? sys.launch(pkg, 'monkey') : undefined;
    if (!result?.ok) {
      err.write('** No activities found to run, monkey aborted.\n');
      return 1;
    }
    out.write(`  bash arg: -p\n  bash arg: ${pkg}\n  bash arg: -c\n  bash arg: android.intent.category.LAUNCHER\n  bash arg: 1\nargs: [-p, ${pkg}, -c, android.intent.category.LAUNCHER, 1]\n arg: "-p"\n arg: "${pkg}"\n arg: "-c"\n arg: "android.intent.category.LAUNCHER"\n arg: "1"\ndata="${pkg}"\ndata="android.intent.category.LAUNCHER"\nEvents injected: 1\n## Network stats: elapsed time=11ms (0ms mobile, 0ms wifi, 11ms not connected)\n`);
    return 0;
  };

  const cmd: CommandFn = async (ctx) => {
    const [, service, ...rest] = ctx.argv;
    if (service === 'package') return pm({ ...ctx, argv: ['pm', ...rest] });
    if (service === 'activity') return am({ ...ctx, argv: ['am', ...rest] });
    if (service === 'appops' && rest[0] === 'get' && rest[1]) {
      ctx.out.write(sys.pm.get(rest[1]) ? sys.appOps.cmdGet(rest[1]) : `Error: Unknown package: ${rest[1]}\n`);
      return 0;
    }
    ctx.err.write(`cmd: Can't find service: ${service ?? ''}\n`);
    return 20;
  };

  const dumpsys: CommandFn = async ({ argv, out }) => {
    const [, service, ...args] = argv;
    const tz = sys.device.timezoneOffsetMinutes;
    switch (service) {
      case 'package': {
        const name = args.find((a) => !a.startsWith('-'));
        out.write(name ? sys.pm.dump(name, tz) : '');
        return 0;
      }
      case 'appops': {
        const i = args.indexOf('--package');
        const name = i >= 0 ? args[i + 1] : undefined;
        const p = name ? sys.pm.get(name) : undefined;
        if (name && !p) {
          out.write(`Unknown package: ${name}\n`);
          return 0;
        }
        if (p) out.write(sys.appOps.dumpPackage(p.name, p.uid, sys.am.uidState(p.name), tz));
        return 0;
      }
      case 'activity': {
        const fg = sys.am.foreground;
        const top = sys.screen();
        const record = fg && top ? `ActivityRecord{8f3a1c2 u0 ${top.packageName}/${top.activity} t${sys.am.processOf(fg)?.pid ?? 1}}` : 'ActivityRecord{71b0e4d u0 com.android.launcher3/.uioverlay.QuickstepLauncher t1}';
        out.write(`ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)\nDisplay #0 (activities from top to bottom):\n  * Task{3c1 #1 type=standard}\n    topResumedActivity=${record}\n  ResumedActivity: ${record}\n`);
        return 0;
      }
      case 'power':
        out.write(`POWER MANAGER (dumpsys power)\n  mWakefulness=${sys.am.screenOn ? 'Awake' : 'Asleep'}\n  mInteractive=${sys.am.screenOn}\nDisplay Power: state=${sys.am.screenOn ? 'ON' : 'OFF'}\n`);
        return 0;
      case 'window':
        out.write(windowDump(sys.screen(), sys.device.screen, sys.pm.get(sys.screen()?.packageName ?? '')?.uid ?? 1000));
        return 0;
      case 'location':
        out.write(locationDump(sys));
        return 0;
      case 'iphonesubinfo':
        // PhoneSubInfoController has no dump since Android 5: the service exists and prints nothing.
        return 0;
      case 'battery':
        out.write('Current Battery Service state:\n  AC powered: false\n  USB powered: true\n  status: 2\n  health: 2\n  present: true\n  level: 87\n  scale: 100\n  voltage: 4203\n  temperature: 298\n');
        return 0;
    }
    out.write(`Can't find service: ${service ?? ''}\n`);
    return 0;
  };

  return { pm, am, monkey, cmd, dumpsys };
}
