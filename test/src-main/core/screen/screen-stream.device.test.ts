// The screen stream through the real adb server (Debian's adb) and the virtual phone's screenrecord, its bytes
// checked by the reference decoder (ffprobe): format and units, a restart's measured hole, two consumers on one
// screenrecord, a refusing phone and a silent one (PNG), a FLAG_SECURE window, a phone that goes and comes back,
// a frame cut by a pause longer than the idle flush (never recorded cut), a phone turned mid-stream, and the live
// watch's lease.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenGapReason } from '../../../../src-preload/screen.js';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { EventHub } from '../../../../src-main/bridge/event-hub.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import type { AccessUnit, ScreenConsumer, StreamFormat } from '../../../../src-main/core/screen/contracts.js';
import { LiveScreens } from '../../../../src-main/core/screen/live-screens.js';
import { PhoneScreenStreams } from '../../../../src-main/core/screen/screen-streams.js';
import { VirtualDevice, loadScenarioFile, type VirtualDeviceOptions } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { callApi } from '../../../support/dispatcher-call.js';
import { testH264 } from '../../../support/ffmpeg-h264.js';
import { decode } from '../../../support/h264-streams.js';
import { SCREEN_VIDEO_SCENARIO, startScreenVideoPhone } from '../../../support/virtual-phone.js';

const SETTINGS = { maxSize: 800, bitRate: 2_000_000, timeLimitSec: 180 };
let adb: TestAdbServer;
let phone: VirtualDevice;
let bridge: AdbkitBridge;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;

type Gap = { from: number; to: number | null; reason: ScreenGapReason; detail: string | null };

class Collector implements ScreenConsumer {
  formats: StreamFormat[] = [];
  units: AccessUnit[] = [];
  gaps: Gap[] = [];
  modes: Array<{ mode: string; reason: string | null }> = [];
  format(f: StreamFormat): void {
    this.formats.push(f);
  }
  unit(u: AccessUnit): void {
    this.units.push(u);
  }
  gap(g: Gap): void {
    this.gaps.push(g);
  }
  mode(m: { mode: 'h264' | 'png' | 'off'; reason: string | null }): void {
    this.modes.push(m);
  }
  of(stream: number): AccessUnit[] {
    return this.units.filter((u) => u.stream === stream);
  }
}

async function otherPhone(serial: string, screenrecord: 'no-codec' | 'silent' | 'works', overrides: VirtualDeviceOptions['commandOverrides'] = {}): Promise<VirtualDevice> {
  const scenario = loadScenarioFile(SCREEN_VIDEO_SCENARIO);
  scenario.device.screenrecord = screenrecord;
  scenario.device.serial = serial;
  const p = new VirtualDevice({ scenario, commandOverrides: overrides });
  await p.start();
  await adb.adb(['connect', p.serial]);
  await waitFor('online', async () => (await adb.adb(['devices'])).stdout.includes(`${p.serial}\tdevice`));
  return p;
}

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startScreenVideoPhone(adb);
  bridge = new AdbkitBridge('adb', adb.port);
}, 60_000);
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('screen stream on the virtual phone', () => {
  it('gives the format from the SPS and access units that ffmpeg decodes one for one; two consumers share one screenrecord', async () => {
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS, lingerMs: 100 });
    const a = new Collector();
    const b = new Collector();
    try {
      streams.attach(phone.serial, a, 'live');
      await waitFor('ten frames', async () => a.units.length >= 10, 15_000);
      streams.attach(phone.serial, b, 'record');
      expect(phone.system.screenRecorders).toBe(1);
      const f = a.formats[0]!;
      // 720x1600 at ≤ 800: 360x800 (no multiple of 16 keeps the aspect within 1%).
      expect({ width: f.width, height: f.height, stream: f.stream }).toEqual({ width: 360, height: 800, stream: 1 });
      expect(f.codec).toMatch(/^avc1\.42[0-9a-f]{4}$/);
      expect(a.modes).toEqual([{ mode: 'h264', reason: null }]);
      expect(a.units[0]!.key).toBe(true);
      expect(a.units.map((u) => u.seq)).toEqual(a.units.map((_, i) => i + 1));
      const frames = a.units.slice();
      expect(decode(Buffer.concat(frames.map((u) => u.data)))).toEqual({ frames: frames.length, errors: '' });
      // The joiner got the format and the group of pictures from its key frame, seq numbers as first sent.
      expect(b.formats).toEqual([f]);
      expect(b.units[0]!.key).toBe(true);
      expect(b.units[0]!.seq).toBeLessThanOrEqual(frames.length);
      expect(decode(Buffer.concat(b.units.map((u) => u.data)))).toEqual({ frames: b.units.length, errors: '' });
    } finally {
      await streams.stopAll();
    }
    await waitFor('screenrecord gone', async () => phone.system.screenRecorders === 0, 5000);
  }, 40_000);

  it('starts screenrecord again when a run reaches its time limit and measures the hole', async () => {
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: { ...SETTINGS, timeLimitSec: 1 } });
    const c = new Collector();
    try {
      streams.attach(phone.serial, c, 'record');
      await waitFor('a third run', async () => c.formats.length >= 3, 20_000);
      const restarts = c.gaps.filter((g) => g.reason === 'restart');
      expect(restarts.length).toBeGreaterThanOrEqual(2);
      for (const g of restarts.slice(0, 2)) {
        // The hole runs from the old run's last frame to the new run's first, as the units say.
        const before = c.units.filter((u) => u.hostTime <= g.from).pop()!;
        const after = c.units.find((u) => u.hostTime >= g.to!)!;
        expect(before.hostTime).toBe(g.from);
        expect(after.hostTime).toBe(g.to);
        expect(after.stream).toBe(before.stream + 1);
        expect(after.key).toBe(true);
        expect(g.to! - g.from).toBeGreaterThan(0);
        expect(g.to! - g.from).toBeLessThan(2000);
      }
      console.log(`restart holes (ms): ${restarts.map((g) => g.to! - g.from).join(', ')}`);
      expect(c.formats.map((f) => f.stream)).toEqual(c.formats.map((_, i) => i + 1));
    } finally {
      await streams.stopAll();
    }
  }, 40_000);

  it('a FLAG_SECURE window in front: a secure-window gap from when it opened until it closed', async () => {
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS });
    const c = new Collector();
    try {
      streams.attach(phone.serial, c, 'record');
      await waitFor('frames', async () => c.units.length >= 3, 15_000);
      const opened = Date.now();
      await sh('input', 'tap', '360', '860');
      const open = await waitFor('the secure gap', async () => c.gaps.find((g) => g.reason === 'secure-window' && g.to === null), 6000);
      // Polled every 2 s: seen within one poll (and a margin for this busy machine).
      expect(open.from - opened).toBeLessThan(4000);
      expect(open.detail).toMatch(/PayActivity/);
      await sh('input', 'tap', '360', '1540');
      const closed = await waitFor('the gap closed', async () => c.gaps.find((g) => g.reason === 'secure-window' && g.to !== null), 6000);
      expect(closed.from).toBe(open.from);
      expect(closed.to! - closed.from).toBeGreaterThan(0);
    } finally {
      await streams.stopAll();
    }
  }, 40_000);

  it('a phone that goes away: a disconnected gap at once, frames again when it is back, the gap closed', async () => {
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS, timing: { phoneWaitMs: 200 } });
    const c = new Collector();
    try {
      streams.attach(phone.serial, c, 'record');
      await waitFor('frames', async () => c.units.length >= 3, 15_000);
      await adb.adb(['disconnect', phone.serial]);
      const gone = await waitFor('the disconnected gap', async () => c.gaps.find((g) => g.reason === 'disconnected' && g.to === null), 5000);
      const seen = c.units.length;
      await adb.adb(['connect', phone.serial]);
      const back = await waitFor('the gap closed', async () => c.gaps.find((g) => g.reason === 'disconnected' && g.to !== null), 15_000);
      expect(back.from).toBe(gone.from);
      await waitFor('frames again', async () => c.units.length > seen, 10_000);
      expect(c.units[seen]!.key).toBe(true);
      expect(c.units[seen]!.hostTime).toBe(back.to);
    } finally {
      await streams.stopAll();
    }
  }, 40_000);
});

describe('phones that give no H.264', () => {
  it("a phone without an AVC encoder: PNG mode with the phone's words at once, asked again no sooner than 30 s", async () => {
    const broken = await otherPhone('VPHONENOCODEC', 'no-codec');
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS });
    const c = new Collector();
    try {
      const t0 = Date.now();
      streams.attach(broken.serial, c, 'live');
      await waitFor('png mode', async () => c.modes.length > 0, 5000);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(c.modes).toEqual([{ mode: 'png', reason: 'ERROR: unable to create video/avc codec instance' }]);
      expect(c.gaps.map((g) => [g.reason, g.to])).toEqual([['refused', null]]);
      await new Promise((r) => setTimeout(r, 1500));
      expect(streams.streamOf(broken.serial)?.runs).toBe(1);
    } finally {
      await streams.stopAll();
      await adb.adb(['disconnect', broken.serial]).catch(() => undefined);
      await broken.stop();
    }
  }, 30_000);

  it('a phone whose stream is not H.264: stream-error gaps and new runs, then PNG after 3 broken runs, memory bounded', async () => {
    // A broken encoder: a start code, then bytes with the forbidden bit set, then it keeps sending.
    const garbage: NonNullable<VirtualDeviceOptions['commandOverrides']>[string] = async ({ out }) => {
      out.write(Buffer.from([0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1f, 0, 0, 0, 1, 0xe5, 1, 2, 3]));
      for (let i = 0; i < 50 && !out.closed; i++) {
        out.write(Buffer.alloc(64 * 1024, 0xe5));
        await out.waitForDrain();
      }
      return 0;
    };
    const broken = await otherPhone('VPHONEGARBAGE', 'works', { screenrecord: garbage });
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS });
    const c = new Collector();
    try {
      const t0 = Date.now();
      streams.attach(broken.serial, c, 'live');
      await waitFor('png mode', async () => c.modes.length > 0, 10_000);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(streams.streamOf(broken.serial)?.runs).toBe(3);
      expect(c.modes[0]!.mode).toBe('png');
      expect(c.modes[0]!.reason).toMatch(/not H\.264 \(a NAL unit with its forbidden bit set/);
      expect(c.units).toHaveLength(0);
      expect(c.gaps.map((g) => [g.reason, g.to])).toEqual([['refused', null]]);
    } finally {
      await streams.stopAll();
      await adb.adb(['disconnect', broken.serial]).catch(() => undefined);
      await broken.stop();
    }
  }, 30_000);

  it('a phone whose screenrecord sends nothing: PNG mode after 5 s', async () => {
    const silent = await otherPhone('VPHONESILENT', 'silent');
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS });
    const c = new Collector();
    try {
      const t0 = Date.now();
      streams.attach(silent.serial, c, 'live');
      await waitFor('png mode', async () => c.modes.length > 0, 10_000);
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(5000);
      expect(elapsed).toBeLessThan(8000);
      expect(c.modes[0]).toEqual({ mode: 'png', reason: 'screenrecord sent no video within 5 s' });
    } finally {
      await streams.stopAll();
      await adb.adb(['disconnect', silent.serial]).catch(() => undefined);
      await silent.stop();
    }
    await waitFor('its screenrecord stopped', async () => silent.system.screenRecorders === 0, 5000);
  }, 30_000);
});

describe('a frame cut by a pause', () => {
  it('shown live on the idle flush\'s guess, never given to a recording cut; the run starts again and the wait doubles', async () => {
    // A slow link: each run's first (key) frame comes in two halves 300 ms apart — longer than the idle flush's
    // 100 ms wait and its first doubling — then a frame every 100 ms (3 s of ffmpeg's test pattern per run).
    const h264 = testH264({ size: '320x240', rate: 10, seconds: 3, gop: 30 });
    const slow: NonNullable<VirtualDeviceOptions['commandOverrides']>[string] = async ({ out }) => {
      for (const [i, u] of h264.units.entries()) {
        if (out.closed) break;
        if (i === 0) {
          out.write(u.data.subarray(0, u.data.length >> 1));
          await sleep(300);
          out.write(u.data.subarray(u.data.length >> 1));
        } else out.write(u.data);
        await sleep(100);
      }
      return 0;
    };
    const stalling = await otherPhone('VPHONESLOWLINK', 'works', { screenrecord: slow });
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS });
    const live = new Collector();
    const recording = Object.assign(new Collector(), { wholeUnitsOnly: true });
    try {
      streams.attach(stalling.serial, live, 'live');
      streams.attach(stalling.serial, recording, 'record');
      await waitFor('a whole run recorded', async () => recording.units.length >= 35, 25_000, 100);
      const cut = live.units.filter((u) => !recording.units.includes(u));
      const late = live.gaps.filter((g) => g.reason === 'stream-error' && /continued after a pause/.test(g.detail ?? ''));
      expect(cut.length).toBeGreaterThanOrEqual(1);
      // Each cut frame is a run's key frame handed over on a guess: shorter than the whole one, and a gap says why.
      expect(cut.every((u) => u.key && u.data.length < h264.units[0]!.data.length)).toBe(true);
      expect(late.length).toBe(cut.length);
      // What a recording got decodes without an error; the live view's frames, cut ones included, do not.
      const whole = decode(Buffer.concat(recording.units.map((u) => u.data)));
      expect(whole).toEqual({ frames: recording.units.length, errors: '' });
      expect(decode(Buffer.concat(live.units.map((u) => u.data))).errors).not.toBe('');
    } finally {
      await streams.stopAll();
      await adb.adb(['disconnect', stalling.serial]).catch(() => undefined);
      await stalling.stop();
    }
  }, 40_000);
});

describe('a phone turned mid-stream', () => {
  it('ends the run, asks screenrecord for the turned size, gives the new format; the hole is gap resolution', async () => {
    // The phone's own dumpsys (a real Android 11 dump) with its rotation as the test turns it; screenrecord sends
    // ffmpeg's test pattern at the orientation it is asked for, a frame every 100 ms.
    const real = readFileSync(join(__dirname, '../../../fixtures/real-dumpsys-window/launcher-android11.txt'), 'utf8');
    let rotation = 0;
    const asked: string[] = [];
    const portrait = testH264({ size: '144x320', rate: 10, seconds: 30, gop: 30 });
    const landscape = testH264({ size: '320x144', rate: 10, seconds: 30, gop: 30 });
    const screenrecord: NonNullable<VirtualDeviceOptions['commandOverrides']>[string] = async ({ argv, out }) => {
      const size = argv[argv.indexOf('--size') + 1] ?? '';
      asked.push(size);
      const [w, h] = size.split('x').map(Number);
      for (const u of (w! > h! ? landscape : portrait).units) {
        if (out.closed) break;
        out.write(u.data);
        await sleep(100);
      }
      return 0;
    };
    const dumpsys: NonNullable<VirtualDeviceOptions['commandOverrides']>[string] = async ({ out }) => {
      out.write(real.replaceAll('mRotation=ROTATION_0', `mRotation=ROTATION_${rotation}`));
      return 0;
    };
    const turning = await otherPhone('VPHONETURNS', 'works', { screenrecord, dumpsys });
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS, timing: { windowPollMs: 300 } });
    const c = new Collector();
    try {
      streams.attach(turning.serial, c, 'record');
      await waitFor('portrait frames', async () => c.units.length >= 5, 10_000);
      rotation = 90;
      await waitFor('landscape frames', async () => c.formats.length === 2 && c.of(c.formats[1]!.stream).length >= 5, 10_000);
      // wm size says 720x1600 whatever the rotation; the stream asks for it turned (longest side ≤ 800; 352 would bend
      // the aspect by 2 %, so 360).
      expect(asked).toEqual(['360x800', '800x360']);
      expect(c.formats.map((f) => [f.width, f.height])).toEqual([[144, 320], [320, 144]]);
      const turned = c.gaps.filter((g) => g.reason === 'resolution');
      // Said when it opens and again, measured, when the turned picture comes.
      expect(turned.map((g) => [g.detail, g.to !== null])).toEqual([['rotation 90°', false], ['rotation 90°', true]]);
      expect(turned[1]!.to! - turned[1]!.from).toBeLessThan(3000);
      // Each orientation's frames decode on their own, from their first key frame.
      for (const f of c.formats) expect(decode(Buffer.concat(c.of(f.stream).map((u) => u.data))).errors).toBe('');
    } finally {
      await streams.stopAll();
      await adb.adb(['disconnect', turning.serial]).catch(() => undefined);
      await turning.stop();
    }
  }, 40_000);
});

describe('live watches', () => {
  it('publishes screenFrame items, resends the group of pictures on a new watch, and lets a lapsed lease go', async () => {
    const hub = new EventHub();
    let clock = Date.now();
    const streams = new PhoneScreenStreams({ bridge: () => bridge, settings: SETTINGS, lingerMs: 100 });
    const live = new LiveScreens(streams, hub, () => clock);
    const frames: Array<{ seq: number; key: boolean; stream: number; data: string; codec: string; width: number }> = [];
    hub.tap((event, item) => {
      if (event === 'screenFrame') frames.push(item as (typeof frames)[number]);
    });
    try {
      const first = live.watch(phone.serial, null);
      expect(first.watchId).toMatch(/^[a-f0-9]{32}$/);
      await waitFor('frames on the hub', async () => frames.length >= 5, 15_000);
      expect(frames[0]).toMatchObject({ key: true, seq: 1, stream: 1, width: 360 });
      expect(decode(Buffer.concat(frames.map((f) => Buffer.from(f.data, 'base64'))))).toEqual({ frames: frames.length, errors: '' });
      expect(live.watch(phone.serial, first.watchId).status).toMatchObject({ mode: 'h264', watchers: 1, width: 360, height: 800 });
      const before = frames.length;
      const lastSeq = frames[before - 1]!.seq;
      live.watch(phone.serial, null);
      await waitFor('the resent group', async () => frames.length > before, 5000);
      // The resend starts at the group's key frame with the seq numbers already sent.
      expect(frames[before]!.key).toBe(true);
      expect(frames[before]!.seq).toBeLessThanOrEqual(lastSeq);
      expect(phone.system.screenRecorders).toBe(1);
      // No renewal: both leases lapse, the stream stops, screenrecord ends on the phone.
      clock += 6000;
      await waitFor('screenrecord stopped', async () => phone.system.screenRecorders === 0 && streams.info(phone.serial) === null, 5000);
      expect(() => live.watch(phone.serial, first.watchId)).toThrow(/lapsed/);
    } finally {
      live.close();
      await streams.stopAll();
    }
  }, 40_000);
});

describe('the workbench API', () => {
  it('screen.watch through the dispatcher: H.264 at ≤ 1280 px (576x1280, multiples of 16) on the hub; unwatch; close stops screenrecord', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'screen-api-'));
    const wb = new Workbench({ dataDir, shell: 'browser', version: 'test', adbServerPort: adb.port });
    const frames: Array<{ serial: string; key: boolean; width: number; height: number; codec: string }> = [];
    wb.hub.tap((event, item) => {
      if (event === 'screenFrame') frames.push(item as (typeof frames)[number]);
    });
    try {
      await wb.start();
      const api = new Dispatcher(wb.handlers());
      const w = await callApi<{ watchId: string; status: { serial: string; watchers: number } }>(api, 'screen.watch', { serial: phone.serial, watchId: null });
      expect(w.status).toMatchObject({ serial: phone.serial, watchers: 1 });
      await waitFor('frames', async () => frames.length >= 3, 15_000);
      expect(frames[0]).toMatchObject({ serial: phone.serial, key: true, width: 576, height: 1280 });
      expect(await callApi(api, 'screen.unwatch', { watchId: w.watchId })).toBeNull();
      const lapsed = await api.call('screen.watch', { serial: phone.serial, watchId: w.watchId });
      expect(lapsed.ok ? null : lapsed.error.code).toBe('screen.no-watch');
      await callApi(api, 'screen.watch', { serial: phone.serial, watchId: null });
      await waitFor('a stream again', async () => phone.system.screenRecorders === 1, 10_000);
    } finally {
      await wb.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    await waitFor('screenrecord stopped with the workbench', async () => phone.system.screenRecorders === 0, 5000);
  }, 40_000);
});
