/**
 * The commands a host uses to read the phone's own identifiers, answering as an Android 13/14 phone does:
 * `service call iphonesubinfo` (a binder reply printed as Parcel words, the IMEI only for a caller that names its
 * own package — AOSP's check since 2021, bug 188677422), `ip addr`/`ip link` (iproute2's layouts, `-o` one line
 * per address), and the identity parts of `dumpsys` (location's last fixes in the API 31+ per-provider layout;
 * iphonesubinfo, which dumps nothing).
 */
import type { CommandFn } from '../shell/interpreter.js';
import type { AndroidSystem } from '../android/android-system.js';
import type { PhoneLocation } from '../android/phone-identity.js';

/** A binder reply as `service call` prints it: 32-bit words, little-endian ASCII beside them, 16 bytes a line. */
export function printParcel(data: Buffer): string {
  const words = (from: number, to: number): string[] => {
    const w: string[] = [];
    for (let i = from; i < to; i += 4) w.push(data.readUInt32LE(i).toString(16).padStart(8, '0'));
    return w;
  };
  const ascii = (from: number, to: number): string => Array.from(data.subarray(from, to), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  if (data.length <= 16) {
    const w = words(0, data.length);
    return `Result: Parcel(${w.join(' ')}${' '.repeat(5 - w.length)}'${ascii(0, data.length)}')\n`;
  }
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const end = Math.min(off + 16, data.length);
    const w = words(off, end);
    lines.push(`  0x${off.toString(16).padStart(8, '0')}: ${w.join(' ')}${' '.repeat(1 + (4 - w.length) * 9)}'${ascii(off, end).padEnd(16, ' ')}'`);
  }
  return `Result: Parcel(\n${lines.join('\n')})\n`;
}

/** Parcel.writeString16: length in UTF-16 units (-1 for null), the units, a NUL, padded to 4 bytes. */
function string16(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
  const body = Buffer.alloc(Math.ceil(((s.length + 1) * 2) / 4) * 4);
  body.write(s, 'utf16le');
  const len = Buffer.alloc(4);
  len.writeInt32LE(s.length);
  return Buffer.concat([len, body]);
}

const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};

const EX_SECURITY = -1;
const EX_NULL_POINTER = -4;

/** The arguments of `service call SERVICE CODE [i32 N | s16 STR | null ...]`; the values as the service reads them. */
function callArgs(argv: string[]): Array<number | string | null> {
  const args: Array<number | string | null> = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (t === 'i32' || t === 'i64') args.push(Number(argv[++i]));
    else if (t === 's16') args.push(argv[++i] ?? '');
    else if (t === 'null') args.push(null);
  }
  return args;
}

/**
 * IPhoneSubInfo on Android 13/14: 1 getDeviceId(callingPackage), 4 getDeviceIdForPhone(phoneId, callingPackage),
 * 5 getImeiForSubscriber(subId, callingPackage). The caller's package must belong to its uid (the shell: 2000,
 * com.android.shell); a missing package fails in AppOpsService's requireNonNull, a foreign one in checkPackage.
 */
function phoneSubInfo(sys: AndroidSystem, code: number, args: Array<number | string | null>): Buffer {
  const ids = sys.phoneIdentity;
  const pkgAt = code === 1 ? 0 : 1;
  const pkg = args[pkgAt];
  if (![1, 4, 5].includes(code)) return Buffer.concat([int32(0), string16(null)]);
  if (pkg === undefined || pkg === null) return Buffer.concat([int32(EX_NULL_POINTER), string16(null), int32(0)]);
  if (pkg !== 'com.android.shell') return Buffer.concat([int32(EX_SECURITY), string16(`Package ${String(pkg)} does not belong to 2000`), int32(0)]);
  const slot = code === 1 ? 0 : Number(args[0]) || 0;
  const imei = slot === 0 ? ids.imei : slot === 1 ? ids.imei2 : null;
  return Buffer.concat([int32(0), string16(imei)]);
}

function locationLine(l: PhoneLocation | null, bootTime: number, now: number): string {
  if (!l) return 'null';
  // The fix was taken a while after boot (et: elapsed realtime at the fix, not its age).
  const et = Math.max(5_123, now - bootTime - 42_000);
  const h = Math.floor(et / 3_600_000), m = Math.floor(et / 60_000) % 60, s = Math.floor(et / 1000) % 60;
  return `Location[${l.provider} ${l.lat.toFixed(6)},${l.lon.toFixed(6)} hAcc=${l.accuracyM.toFixed(1)} et=+${h ? `${h}h` : ''}${m}m${s}s${et % 1000}ms alt=4.0 vAcc=10.0]`;
}

/** `dumpsys location` as Android 12+ prints it (LocationManagerService with one section per provider), shortened. */
export function locationDump(sys: AndroidSystem): string {
  const ids = sys.phoneIdentity;
  const now = sys.clock.now();
  const fine = locationLine(ids.lastLocation, sys.bootTime, now);
  const coarse = locationLine(ids.coarseLocation, sys.bootTime, now);
  return [
    'Location Manager State:',
    '  User Info:',
    '    current user: [0]',
    '    visible users: [0]',
    '  Location Settings:',
    '    Location Setting: true',
    '  Location Providers:',
    '    passive provider:',
    `      last location=${fine}`,
    `      last coarse location=${coarse}`,
    '      enabled=true',
    '      allowed=true',
    '    network provider:',
    '      service=ProxyLocationProvider',
    `      last location=${fine}`,
    `      last coarse location=${coarse}`,
    '      enabled=true',
    '    gps provider:',
    '      last location=null',
    '      enabled=true',
    '    fused provider:',
    `      last location=${fine}`,
    '      enabled=true',
    '',
  ].join('\n');
}

interface NetInterface {
  index: number;
  name: string;
  flags: string;
  mtu: number;
  qdisc: string;
  state: string;
  qlen: number;
  link: string;
  addresses: string[];
}

/** The phone's interfaces as iproute2 lists them: loopback and the Wi-Fi it is on. */
function interfaces(sys: AndroidSystem): NetInterface[] {
  const ids = sys.phoneIdentity;
  const bcast = ids.ipv4.replace(/\.\d+$/, '.255');
  return [
    { index: 1, name: 'lo', flags: 'LOOPBACK,UP,LOWER_UP', mtu: 65536, qdisc: 'noqueue', state: 'UNKNOWN', qlen: 1000, link: 'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00', addresses: ['inet 127.0.0.1/8 scope host lo', 'inet6 ::1/128 scope host '] },
    {
      index: 30, name: 'wlan0', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1500, qdisc: 'mq', state: 'UP', qlen: 3000, link: `link/ether ${ids.wifiMac} brd ff:ff:ff:ff:ff:ff`,
      addresses: [`inet ${ids.ipv4}/${ids.ipv4Prefix} brd ${bcast} scope global wlan0`, `inet6 ${ids.ipv6LinkLocal}/64 scope link `],
    },
  ];
}

export function identityCommands(sys: AndroidSystem): Record<string, CommandFn> {
  return {
    service: async ({ argv, out, err }) => {
      const [, verb, name, code, ...rest] = argv;
      if (verb === 'call' && name === 'iphonesubinfo' && code !== undefined && /^\d+$/.test(code)) {
        out.write(printParcel(phoneSubInfo(sys, Number(code), callArgs(rest))));
        return 0;
      }
      if (verb === 'check' && name) {
        out.write(`Service ${name}: ${['iphonesubinfo', 'location', 'bluetooth_manager', 'package', 'activity'].includes(name) ? 'found' : 'not found'}\n`);
        return 0;
      }
      if (verb === 'call' && name) {
        out.write(`service: Service ${name} does not exist\n`);
        return 0;
      }
      err.write('Usage: service [-h|-?]\n       service list\n       service check SERVICE\n       service call SERVICE CODE [i32 N | i64 N | f N | d N | s16 STR | null | fd f | nfd n | afd f ] ...\n');
      return 1;
    },
    ip: async ({ argv, out, err }) => {
      const args = argv.slice(1);
      const oneLine = args[0] === '-o';
      const [object = '', verb, dev] = oneLine ? args.slice(1) : args;
      const only = verb === 'show' ? dev : undefined;
      const links = interfaces(sys).filter((l) => !only || l.name === only);
      if (only && !links.length) {
        err.write(`Device "${only}" does not exist.\n`);
        return 1;
      }
      const head = (l: NetInterface): string => `${l.index}: ${l.name}: <${l.flags}> mtu ${l.mtu} qdisc ${l.qdisc} state ${l.state} group default qlen ${l.qlen}`;
      const lifetime = '       valid_lft forever preferred_lft forever';
      if ('link'.startsWith(object) && object) {
        for (const l of links) out.write(oneLine ? `${head(l)}\\    ${l.link}\n` : `${head(l)}\n    ${l.link}\n`);
        return 0;
      }
      if ('address'.startsWith(object) && object) {
        for (const l of links) {
          if (oneLine) {
            for (const a of l.addresses) out.write(`${l.index}: ${l.name}    ${a}\\${lifetime}\n`);
          } else {
            out.write(`${head(l)}\n    ${l.link}\n`);
            for (const a of l.addresses) out.write(`    ${a}\n${lifetime}\n`);
          }
        }
        return 0;
      }
      err.write('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n');
      return 255;
    },
  };
}
