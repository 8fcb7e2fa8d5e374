// The phone's own values read at session start through the real adb server from the virtual phone: exactly the
// values the phone holds (Android ID, serial, both IMEIs, Wi-Fi/Bluetooth MAC, IPs, third-party packages, last and
// coarse location). A phone that refuses, answers garbage, hangs or floods: every value it did not give is named
// with its command and why, each command bounded in time and size, and what it did give is still read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../../src-main/core/adb/index.js';
import { readPhoneValues, PHONE_VALUE_COMMANDS as C } from '../../../../../src-main/core/network/pi/index.js';
import { startAdbServer, type TestAdbServer } from '../../../../support/adb-server.js';
import { startPhone } from '../../../../support/virtual-phone.js';

let adb: TestAdbServer;
let bridge: AdbkitBridge;

beforeAll(async () => {
  adb = await startAdbServer();
  bridge = new AdbkitBridge('adb', adb.port);
});
afterAll(async () => adb?.kill());

describe('reading the phone values through adb', () => {
  it('gives the values the virtual phone holds, each with the command that gave it', async () => {
    const phone = await startPhone(adb, 'collects-before-consent');
    try {
      const sys = phone.system;
      const ids = sys.phoneIdentity;
      const reading = await readPhoneValues(bridge, phone.serial, { typed: [{ kind: 'phone-number', value: ' 138\u001b[31m12345678 ' }] });
      const thirdParty = [...sys.pm.packages.values()].filter((p) => !p.system).map((p) => p.name).sort();
      expect(reading.values).toEqual([
        { kind: 'android-id', value: sys.androidId, source: C.androidId },
        { kind: 'serial', value: 'VPHONE0101', source: C.serial },
        { kind: 'imei', value: ids.imei, source: C.imei },
        { kind: 'imei', value: ids.imei2, source: C.imeiSlot2 },
        { kind: 'wifi-mac', value: ids.wifiMac, source: C.wifiMac },
        { kind: 'bluetooth-mac', value: ids.bluetoothMac, source: C.bluetoothMac },
        { kind: 'ip-address', value: ids.ipv4, source: C.ipOneLine },
        { kind: 'ip-address', value: ids.ipv6LinkLocal, source: C.ipOneLine },
        ...thirdParty.map((value) => ({ kind: 'package-list', value, source: C.packagesThirdParty })),
        { kind: 'location', value: `${ids.lastLocation.lat.toFixed(6)},${ids.lastLocation.lon.toFixed(6)}`, source: C.location },
        { kind: 'location', value: `${ids.coarseLocation.lat.toFixed(6)},${ids.coarseLocation.lon.toFixed(6)}`, source: C.location },
        // Typed by the tester: control bytes gone, trimmed.
        { kind: 'phone-number', value: '13812345678', source: 'typed' },
      ]);
      expect(ids.imei).toMatch(/^86\d{13}$/);
      expect(reading.unread).toEqual([]);
      expect(reading.packages).toEqual({ all: sys.pm.packages.size, thirdParty: thirdParty.length });
    } finally {
      await phone.stop();
    }
  });

  it('names what a refusing, garbled, hanging or flooding phone did not give, within bounds', async () => {
    const parcel = (words: string): string => `Result: Parcel(\n  0x00000000: ${words} '................')\n`;
    const phone = await startPhone(adb, 'collects-before-consent', {
      commandOverrides: {
        // MIUI-like: getDeviceId answers a row of dots (15 × '.').
        service: async ({ out }) => (out.write(parcel('00000000 0000000f 002e002e 002e002e 002e002e 002e002e 002e002e 002e002e 002e002e 0000002e')), 0),
        cat: async ({ argv, err }) => (err.write(`cat: ${argv[1]}: Permission denied\n`), 1),
        ip: async ({ err }) => (err.write('/system/bin/sh: ip: inaccessible or not found\n'), 127),
        // The Android ID with a terminal escape inside: cleaned, then refused as not an identifier.
        settings: async ({ argv, out }) => (out.write(argv[3] === 'android_id' ? '\u001b]0;owned\u0007not-hex-at-all\n' : 'null\n'), 0),
        // dumpsys never answers (location, bluetooth_manager, iphonesubinfo): each costs one timeout.
        dumpsys: async ({ out }) => (await out.whenClosed(), 0),
        // A package list of 5 MiB: over the 4 MiB cap.
        pm: async ({ out }) => {
          const mib = Buffer.from('package:com.flood.app.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(16_384));
          for (let i = 0; i < 5 && !out.closed; i++) if (!out.write(mib)) await out.waitForDrain();
          return 0;
        },
      },
    });
    try {
      const t0 = Date.now();
      const reading = await readPhoneValues(bridge, phone.serial, { commandTimeoutMs: 3000 });
      const elapsed = Date.now() - t0;
      // Three hanging dumpsys, at most 3 s each even one after the other, and everything else quick: under 15 s.
      expect(elapsed).toBeLessThan(15_000);
      expect(reading.values).toEqual([{ kind: 'serial', value: 'VPHONE0101', source: C.serial }]);
      const why = Object.fromEntries(reading.unread.map((u) => [u.kind, [u.command, u.reason]]));
      expect(why).toEqual({
        'android-id': [C.androidId, 'not-an-identifier'],
        imei: [C.imei, 'not-an-identifier'],
        'wifi-mac': [C.wifiMac, 'refused'],
        'bluetooth-mac': [C.bluetoothMac, 'not-set'],
        'ip-address': [C.ipAddr, 'no-such-command'],
        'package-list': [C.packagesThirdParty, 'too-large'],
        location: [C.location, 'timeout'],
      });
      const androidId = reading.unread.find((u) => u.kind === 'android-id')!;
      expect(androidId.detail).toBe('not-hex-at-all');
      expect(reading.unread.find((u) => u.kind === 'imei')!.detail).toBe('...............');
      expect(reading.packages).toEqual({ all: null, thirdParty: null });
    } finally {
      await phone.stop();
    }
  }, 30_000);

  it('starts no command once the time for reading is spent, and says so for every value', async () => {
    const calls: string[] = [];
    const counting = Object.assign(Object.create(bridge) as AdbkitBridge, {
      shellBytes: (...a: Parameters<AdbkitBridge['shellBytes']>) => (calls.push(a[1]), bridge.shellBytes(...a)),
      properties: (serial: string) => (calls.push('getprop'), bridge.properties(serial)),
    });
    const reading = await readPhoneValues(counting, '127.0.0.1:9', { deadlineMs: -1, typed: [{ kind: 'oaid', value: 'a3f2c1d4-5b6e-4f70-8192-a3b4c5d6e7f8' }] });
    expect(calls).toEqual([]);
    expect(reading.values).toEqual([{ kind: 'oaid', value: 'a3f2c1d4-5b6e-4f70-8192-a3b4c5d6e7f8', source: 'typed' }]);
    expect(new Set(reading.unread.map((u) => u.reason))).toEqual(new Set(['timeout']));
    expect(reading.unread.map((u) => u.kind)).toEqual(['android-id', 'serial', 'imei', 'wifi-mac', 'bluetooth-mac', 'ip-address', 'package-list', 'location']);
  });
});
