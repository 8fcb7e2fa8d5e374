// The phone's answers read as phones print them. The samples follow layouts published with real output (values
// changed): `service call iphonesubinfo 1` on a Pixel (Result: Parcel( … '........3.5.2.5.'), exception replies
// (ffffffff + message), `dumpsys location` before Android 12 (`Last Known Locations:` / `gps: Location[…]`) and after
// (`last location=Location[network …]` per provider, `last location=null`), a phone in a decimal-comma locale
// (`Location[fused -26,107600,28,056800 hAcc=14,5`), BluetoothManagerService's `  address:` line, iproute2's `-o`.
import { describe, expect, it } from 'vitest';
import { parseParcelString } from '../../../../../src-main/core/network/pi/parcel.js';
import {
  bluetoothManagerAddress, deviceIdKind, dumpsysDeviceId, ipAddresses, ipLinkMac, knownLocations, macAlone, packageNames, serialFromAdbSerial, settingValue,
} from '../../../../../src-main/core/network/pi/phone-parsers.js';
import { printParcel } from '../../../../../src-main/core/virtual-device/commands/identity-commands.js';
import { luhnDigit } from '../../../../../src-main/core/virtual-device/android/phone-identity.js';

describe('service call parcels', () => {
  it('reads a String16 reply spread over lines, with offsets and the ASCII column', () => {
    const text = [
      'Result: Parcel(',
      "  0x00000000: 00000000 0000000f 00350033 00350032 '........3.5.2.5.'",
      "  0x00000010: 00310034 00380030 00320035 00380038 '4.1.0.8.5.2.8.8.'",
      "  0x00000020: 00380036 00000035                   '6.8.5...        ')",
    ].join('\n');
    expect(parseParcelString(text)).toEqual({ type: 'string', value: '352541085288685' });
  });

  it('reads null, an exception with its message, an exception without one, and refuses what does not add up', () => {
    expect(parseParcelString("Result: Parcel(00000000 ffffffff   '........')")).toEqual({ type: 'string', value: null });
    expect(parseParcelString("Result: Parcel(fffffffc ffffffff 00000000  '............')")).toEqual({ type: 'exception', code: -4, message: null });
    const msg = 'Package com.evil does not belong to 2000';
    expect(parseParcelString(printParcel(Buffer.concat([int32(-1), string16(msg), int32(0)])))).toEqual({ type: 'exception', code: -1, message: msg });
    // A ')' in the ASCII column does not end the reply early.
    expect(parseParcelString(printParcel(Buffer.concat([int32(0), string16('a)b)c)d)e)f)g)h')])))).toEqual({ type: 'string', value: 'a)b)c)d)e)f)g)h' });
    for (const bad of ['Result: Parcel(NULL)', 'service: Service iphonesubinfo does not exist', "Result: Parcel(00000000 00000020 00350033 '....')", 'Result: Parcel(\n  0x00000000: 00000000 0000000f 00350033', "Result: Parcel(00000000 7fffffff '....')", '']) {
      expect(parseParcelString(bad), bad).toEqual({ type: 'malformed' });
    }
  });

  it('reads back whatever the virtual phone prints, of any length', () => {
    for (const s of ['', 'x', '86896547152114', '868965471521141', 'a'.repeat(33), '值', null]) {
      expect(parseParcelString(printParcel(Buffer.concat([int32(0), string16(s)]))), String(s)).toEqual({ type: 'string', value: s });
    }
  });
});

describe('what getDeviceId answered', () => {
  it('tells an IMEI (Luhn) from a MEID and from what is neither', () => {
    const imei14 = '35254108528868';
    expect(deviceIdKind(imei14 + luhnDigit(imei14))).toBe('imei');
    expect(deviceIdKind(imei14 + ((Number(luhnDigit(imei14)) + 1) % 10))).toBeNull();
    expect(deviceIdKind(imei14)).toBe('imei');
    expect(deviceIdKind('A1000049A2B3C4')).toBe('meid');
    for (const v of ['...............', '000000000000000', '', 'unknown', '12345']) expect(deviceIdKind(v), v).toBeNull();
    expect(dumpsysDeviceId('Phone Subscriber Info:\n  Phone Type = GSM\n  Device ID = 352541085288685\n')).toBe('352541085288685');
  });
});

describe('dumpsys location', () => {
  it('reads the per-provider last locations of Android 12+, each fix once, and skips null', () => {
    const text = [
      '  Location Providers:',
      '    passive provider:',
      '      last location=Location[network 30.512345,114.301234 hAcc=40 et=+1m23s722ms vAcc=??? sAcc=??? bAcc=??? {Bundle[mParcelledData.dataSize=64]}]',
      '      last coarse location=Location[network 30.515315,114.302259 hAcc=2000 et=+1m11s106ms vAcc=??? sAcc=??? bAcc=???]',
      '    gps provider:',
      '      last location=null',
      '    fused provider:',
      '      last location=Location[fused 30.512345,114.301234 hAcc=12.5 et=+2h0m0s alt=20.0]',
    ].join('\n');
    expect(knownLocations(text)).toEqual([{ provider: 'network', lat: 30.512345, lon: 114.301234 }, { provider: 'network', lat: 30.515315, lon: 114.302259 }]);
  });

  it('reads Android ≤ 11’s Last Known Locations, a decimal-comma locale, and takes 0,0 for no fix', () => {
    expect(knownLocations('  Last Known Locations:\n    gps: Location[gps 24.713600,46.675300 hAcc=5 et=+1h2m3s456ms alt=600.0]\n')).toEqual([{ provider: 'gps', lat: 24.7136, lon: 46.6753 }]);
    expect(knownLocations('      last location=Location[fused -26,107600,28,056800 hAcc=14,5 et=+3d2h alt=1560.0]')).toEqual([{ provider: 'fused', lat: -26.1076, lon: 28.0568 }]);
    expect(knownLocations('last location=Location[gps 0.000000,0.000000 hAcc=1]')).toEqual([]);
    expect(knownLocations('last location=Location[gps 95.000000,10.000000 hAcc=1]')).toEqual([]);
  });
});

describe('addresses', () => {
  it('reads ip -o addr and ip addr show, loopback left out', () => {
    const oneLine = [
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
      '12: rmnet_data0    inet 10.151.22.7/30 scope global rmnet_data0\\       valid_lft forever preferred_lft forever',
      '12: rmnet_data0    inet6 2408:8456:3a12:9c1b::1/64 scope global dynamic noprefixroute \\       valid_lft 7165sec preferred_lft 7165sec',
      '30: wlan0    inet 192.168.31.116/24 brd 192.168.31.255 scope global wlan0\\       valid_lft forever preferred_lft forever',
    ].join('\n');
    expect(ipAddresses(oneLine)).toEqual([
      { iface: 'rmnet_data0', address: '10.151.22.7', family: 4 },
      { iface: 'rmnet_data0', address: '2408:8456:3a12:9c1b::1', family: 6 },
      { iface: 'wlan0', address: '192.168.31.116', family: 4 },
    ]);
    const blocks = '30: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 3000\n    link/ether 8a:ed:1d:3f:a5:72 brd ff:ff:ff:ff:ff:ff\n    inet 192.168.31.116/24 brd 192.168.31.255 scope global wlan0\n       valid_lft forever preferred_lft forever\n    inet6 fe80::f75f:457:5b55:2001/64 scope link \n';
    expect(ipAddresses(blocks).map((a) => a.address)).toEqual(['192.168.31.116', 'fe80::f75f:457:5b55:2001']);
    expect(ipLinkMac(blocks)).toBe('8a:ed:1d:3f:a5:72');
  });

  it('reads a MAC alone, the Bluetooth manager’s address line, and refuses what is not one', () => {
    expect(macAlone('8A:ED:1D:3F:A5:72\n')).toBe('8a:ed:1d:3f:a5:72');
    for (const v of ['null', '8a:ed:1d:3f:a5', '8a:ed:1d:3f:a5:72:11', 'cat: /sys/class/net/wlan0/address: Permission denied']) expect(macAlone(v), v).toBeNull();
    expect(bluetoothManagerAddress('Bluetooth Status\n  enabled: true\n  state: ON\n  address: EC:4B:91:07:3C:D8\n  name: Pixel 7\n')).toBe('ec:4b:91:07:3c:d8');
    expect(settingValue('null\n')).toBeNull();
    expect(settingValue('  3a9f1c02be4d7e61\n')).toBe('3a9f1c02be4d7e61');
  });
});

describe('packages and serials', () => {
  it('reads package lines, each once, up to a cap, and skips what is no package name', () => {
    expect(packageNames('package:com.tencent.mm\npackage:android\npackage:com.tencent.mm\npackage:../../etc\npackage:a b\nwarning: x\npackage:com.sina.weibo\n', 10)).toEqual(['com.tencent.mm', 'android', 'com.sina.weibo']);
    expect(packageNames('package:a.b\npackage:c.d\npackage:e.f\n', 2)).toEqual(['a.b', 'c.d']);
  });

  it('takes the hardware serial from a USB or wireless-debugging adb serial, not from an address', () => {
    expect(serialFromAdbSerial('R58N12ABCDE')).toBe('R58N12ABCDE');
    expect(serialFromAdbSerial('adb-R58N12ABCDE-AbCdEf._adb-tls-connect._tcp')).toBe('R58N12ABCDE');
    for (const s of ['127.0.0.1:5555', '192.168.1.9:40123', 'emulator-5554', '[::1]:5555']) expect(serialFromAdbSerial(s), s).toBeNull();
  });
});

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
}

function string16(s: string | null): Buffer {
  if (s === null) return int32(-1);
  const body = Buffer.alloc(Math.ceil(((s.length + 1) * 2) / 4) * 4);
  body.write(s, 'utf16le');
  return Buffer.concat([int32(s.length), body]);
}
