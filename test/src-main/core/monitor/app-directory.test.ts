// Which app a uid, pid or process name is: the phone's package list (`pm list packages -U`, in the layouts public
// tools quote: one uid, or one per profile with `--user all`), what the log names, shared process names, the 15
// characters a native crash keeps of a process name, and a log that names more pids than any phone has.
import { describe, expect, it } from 'vitest';
import { AppDirectory, uidFromName } from '../../../../src-main/core/monitor/app-directory.js';

describe('AppDirectory', () => {
  it('reads pm list packages -U, one uid per profile, and names no app for a uid several packages share', () => {
    const d = new AppDirectory();
    expect(d.loadPackageList([
      'package:com.android.chrome uid:10187,1010187', 'package:com.tencent.mm uid:10234', 'package:com.android.phone uid:1001',
      'package:com.android.server.telecom uid:1001', 'package:not a package uid:10999', 'junk', '',
    ].join('\n'))).toBe(4);
    expect([d.packageOfUid(10187), d.packageOfUid(1010187), d.packageOfUid(10234), d.packageOfUid(1001), d.packageOfUid(10999)])
      .toEqual(['com.android.chrome', 'com.android.chrome', 'com.tencent.mm', null, null]);
  });

  it('the phone\'s list wins over the log, a new list drops the packages it no longer has, and an empty answer keeps the old list', () => {
    const d = new AppDirectory();
    d.loadPackageList('package:com.tencent.mm uid:10234\npackage:com.demo.shop uid:10230');
    d.learnUid(10234, 'com.fake.claim');
    expect(d.packageOfUid(10234)).toBe('com.tencent.mm');
    d.loadPackageList('package:com.tencent.mm uid:10234');
    expect(d.packageOfUid(10230)).toBeNull();
    d.loadPackageList('');
    expect(d.packageOfUid(10234)).toBe('com.tencent.mm');
    // The log may teach app uids the list does not have; never a system uid.
    d.learnUid(10555, 'com.example.new');
    d.learnUid(1000, 'com.android.settings');
    expect([d.packageOfUid(10555), d.packageOfUid(1000)]).toEqual(['com.example.new', null]);
  });

  it('names processes: learned, shared, before ":" and a known package they extend', () => {
    const d = new AppDirectory();
    d.learnProcess('com.google.process.gapps', 'com.google.android.syncadapters.contacts');
    d.learnPid(4300, 'com.google.android.gms', 'com.google.android.gms');
    expect([
      d.packageOfProcess('com.google.process.gapps'), d.packageOfProcess('android.process.media'), d.packageOfProcess('com.x.y:push'),
      d.packageOfProcess('com.google.android.gms.persistent'), d.packageOfProcess('com.unknown.proc'),
    ]).toEqual(['com.google.android.syncadapters.contacts', 'com.android.providers.media', 'com.x.y', 'com.google.android.gms', 'com.unknown.proc']);
  });

  it('a cut process name names an app only when exactly one known process ends with it', () => {
    const d = new AppDirectory();
    d.learnProcess('com.google.android.bluetooth', 'com.google.android.bluetooth');
    expect(d.packageOfCutName('droid.bluetooth')).toBe('com.google.android.bluetooth');
    d.learnProcess('com.android.bluetooth', 'com.android.bluetooth');
    expect(d.packageOfCutName('droid.bluetooth')).toBeNull();
  });

  it('uid names: u0a312, u10a5, 1000; isolated uids are no app\'s own', () => {
    expect([uidFromName('u0a312'), uidFromName('u10a5'), uidFromName('1000'), uidFromName('u0a178i7'), uidFromName('u0i5')]).toEqual([10312, 1010005, 1000, null, null]);
  });

  it('stays bounded on a log that names a million pids, and answers in time', () => {
    const d = new AppDirectory();
    const started = Date.now();
    for (let pid = 1; pid <= 1_000_000; pid++) d.learnPid(pid, `com.app.n${pid % 50_000}`, `com.app.n${pid % 50_000}:p`);
    for (let i = 0; i < 100; i++) d.packageOfCutName('n12345:p');
    expect(Date.now() - started).toBeLessThan(8000);
    const inside = d as unknown as { byPid: Map<number, string>; processOfPid: Map<number, string>; packages: Map<string, true> };
    expect(inside.byPid.size).toBeLessThanOrEqual(8192);
    expect(inside.processOfPid.size).toBeLessThanOrEqual(8192);
    expect(inside.packages.size).toBeLessThanOrEqual(8192);
    expect(d.packageOfPid(1_000_000)).toBe('com.app.n0');
  });
});
