// logcat on the virtual phone: formats, buffers, filters, -t/-T, --pid and binary records, as AOSP prints them.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { VirtualClock, VirtualDevice, loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import { BufferOutput, ShellInterpreter } from '../../../../src-main/core/virtual-device/shell/interpreter.js';
import { SCENARIOS } from '../../../support/virtual-phone.js';

function phone() {
  const clock = new VirtualClock(Date.UTC(2026, 10, 29, 2, 0, 0));
  // A quiet phone: these tests count and match exact lines, so the other apps' activity is switched off.
  const scenario = loadScenarioFile(join(SCENARIOS, 'compliant-app.yaml'));
  scenario.device.noise = false;
  const device = new VirtualDevice({ scenario, clock });
  const sys = device.system;
  sys.log.append({ pid: 100, tid: 101, priority: 2, tag: 'Verbose', message: 'v line' });
  sys.log.append({ pid: 100, tid: 101, priority: 4, tag: 'AppTag', message: 'first\nsecond' });
  sys.log.append({ pid: 200, tid: 200, priority: 6, tag: 'Other', message: 'error line', buffer: 'system' });
  sys.log.append({ pid: 300, tid: 300, priority: 4, tag: 'am_proc_start', message: '[0,300,10230,x,activity,{x/.A}]', buffer: 'events' });
  const shell = (device as unknown as { shell(): ShellInterpreter }).shell();
  const run = async (line: string): Promise<Buffer> => {
    const out = new BufferOutput();
    await shell.run(line, out);
    return out.bytes();
  };
  return { sys, clock, run };
}

describe('logcat', () => {
  it('prints threadtime in the phone time zone, main+system+crash by default', async () => {
    const { run } = phone();
    const text = (await run('logcat -d')).toString();
    expect(text.split('\n')).toEqual([
      '11-29 10:00:00.000   100   101 V Verbose : v line',
      '11-29 10:00:00.000   100   101 I AppTag  : first',
      '11-29 10:00:00.000   100   101 I AppTag  : second',
      '11-29 10:00:00.000   200   200 E Other   : error line',
      '',
    ]);
    expect((await run('logcat -d -b events')).toString()).toMatch(/I am_proc_start: \[0,300,10230/);
    expect((await run('logcat -d -b all')).toString().split('\n').length).toBe(6);
  });

  it('filters by spec, pid, regex and format modifiers', async () => {
    const { run } = phone();
    expect((await run('logcat -d *:I')).toString()).not.toMatch(/Verbose/);
    expect((await run("logcat -d -s 'Other:E'")).toString()).toMatch(/^[^\n]*Other {3}: error line\n$/);
    expect((await run('logcat -d AppTag:V *:S')).toString().split('\n').filter(Boolean)).toHaveLength(2);
    expect((await run('logcat -d --pid=200')).toString()).toMatch(/^[^\n]+error line\n$/);
    expect((await run('logcat -d -e sec.nd')).toString()).toMatch(/second/);
    expect((await run('logcat -d -v brief -s Other')).toString()).toBe('E/Other   (  200): error line\n');
    expect((await run('logcat -d -v threadtime,year,UTC -s Other')).toString()).toMatch(/^2026-11-29 02:00:00\.000 /);
    expect((await run('logcat -d -v nonsense')).toString()).toMatch(/Unknown format/);
  });

  it('-t N and -T time; -c clears', async () => {
    const { run, sys, clock } = phone();
    expect((await run('logcat -t 1')).toString()).toMatch(/error line\n$/);
    await clock.advance(5000);
    sys.log.append({ pid: 100, priority: 4, tag: 'Later', message: 'after five seconds' });
    expect((await run("logcat -d -T '11-29 10:00:03.000'")).toString()).toMatch(/^[^\n]*Later {3}: after five seconds\n$/);
    expect((await run(`logcat -d -T ${Date.UTC(2026, 10, 29, 2, 0, 3) / 1000}.000`)).toString()).toMatch(/^[^\n]*after five seconds\n$/);
    await run('logcat -c');
    expect((await run('logcat -d')).toString()).toBe('');
  });

  it('-B writes logger_entry v4 records', async () => {
    const { run } = phone();
    const bin = await run('logcat -d -B -s Other');
    expect(bin.readUInt16LE(2)).toBe(28);
    expect(bin.readInt32LE(4)).toBe(200);
    expect(bin.readUInt32LE(20)).toBe(3); // system buffer
    const len = bin.readUInt16LE(0);
    expect(bin.length).toBe(28 + len);
    expect(bin[28]).toBe(6);
    expect(bin.subarray(29, 28 + len).toString()).toBe('Other\0error line\0');
  });
});
