/**
 * `screenrecord` as AOSP's frameworks/av/cmds/screenrecord prints and behaves: its options (--size, --bit-rate,
 * --time-limit, --output-format, --bugreport, --verbose, --help), limits and messages word for word, H.264 from the
 * virtual phone's encoder to stdout (`-`) or a file, or an MP4 (mediabunny) written into the phone's storage at the
 * end, where `adb pull` finds it. It runs until its time limit, or until the host closes the stream (adb's SIGHUP:
 * the recording is finished and saved as the real one does), or the phone goes away; then its timer is gone.
 * A scenario's `device.screenrecord` makes it refuse (`no-codec`) or hang (`silent`) as broken phones do.
 */
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output as MediaOutput } from 'mediabunny';
import type { CommandFn, Output } from '../shell/interpreter.js';
import type { AndroidSystem } from '../android/android-system.js';
import { FrameClock, MAX_FPS, contentArea, type VideoFrame } from '../android/frame-clock.js';
import { H264Encoder } from '../android/video-encoder.js';

const VERSION = '1.3';
const MIN_BIT_RATE = 100_000;
const MAX_BIT_RATE = 200_000_000;
const MAX_TIME_LIMIT_SEC = 180;
/** The largest picture the virtual phone's AVC encoder configures (a level 5.1 encoder: 36 864 macroblocks, 4096 a side). */
const MAX_SIDE = 4096;
const MAX_MACROBLOCKS = 36_864;
const UNKNOWN_ERROR = -2147483648;
/**
 * A recording into the phone's storage is held in memory until it ends (the phone's files live in the workbench's
 * process): past this size it ends as a full disk ends it on a phone (the muxer's write fails with ENOSPC).
 */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

type Format = 'mp4' | 'h264';

interface Options {
  verbose: boolean;
  size: { width: number; height: number } | null;
  bitRate: number;
  timeLimitSec: number;
  bugreport: boolean;
  format: Format;
  file: string;
}

const OPTIONS: Record<string, boolean> = {
  help: false, verbose: false, size: true, 'bit-rate': true, 'time-limit': true, bugreport: false,
  'show-device-info': false, 'show-frame-time': false, rotate: false, 'output-format': true, 'codec-name': true,
  'monotonic-time': false, 'persistent-surface': false, bframes: true, 'display-id': true,
};

function usage(defaultMbps: number, timeLimit: number): string {
  return `Usage: screenrecord [options] <filename>

Android screenrecord v${VERSION}.  Records the device's display to a .mp4 file.

Options:
--size WIDTHxHEIGHT
    Set the video size, e.g. "1280x720".  Default is the device's main
    display resolution (if supported), 1280x720 if not.  For best results,
    use a size supported by the AVC encoder.
--bit-rate RATE
    Set the video bit rate, in bits per second.  Value may be specified as
    bits or megabits, e.g. '4000000' is equivalent to '4M'.  Default ${defaultMbps}Mbps.
--bugreport
    Add additional information, such as a timestamp overlay, that is helpful
    in videos captured to illustrate bugs.
--time-limit TIME
    Set the maximum recording time, in seconds.  Default / maximum is ${timeLimit}.
--display-id ID
    specify the physical display ID to record. Default is the primary display.
    see "dumpsys SurfaceFlinger --display-id" for valid display IDs.
--verbose
    Display interesting information on stdout.
--help
    Show this message.

Recording continues until Ctrl-C is hit or the time limit is reached.

`;
}

/** strtol(…, 10) as C reads it: leading spaces and sign, digits; the rest is returned. */
function strtol(s: string): { value: number; rest: string; digits: boolean } {
  const m = /^\s*([+-]?\d+)?(.*)$/s.exec(s)!;
  return { value: m[1] ? parseInt(m[1], 10) : 0, rest: m[2]!, digits: m[1] !== undefined };
}

/** Parses argv as getopt_long does (`--opt value` and `--opt=value`); returns the options or an exit status. */
function parse(argv: string[], sys: AndroidSystem, err: Output): Options | number {
  const defaultBitRate = sys.sdk >= 31 ? 20_000_000 : 4_000_000;
  const o: Options = { verbose: false, size: null, bitRate: defaultBitRate, timeLimitSec: MAX_TIME_LIMIT_SEC, bugreport: false, format: 'mp4', file: '' };
  const positional: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!(name in OPTIONS)) {
      err.write(`screenrecord: unrecognized option '${a}'\n`);
      return 2;
    }
    let value: string | undefined;
    if (OPTIONS[name]) {
      value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) {
        err.write(`screenrecord: option '--${name}' requires an argument\n`);
        return 2;
      }
    } else if (eq >= 0) {
      err.write(`screenrecord: option '--${name}' doesn't allow an argument\n`);
      return 2;
    }
    switch (name) {
      case 'help':
        err.write(usage(defaultBitRate / 1_000_000, o.timeLimitSec));
        return 0;
      case 'verbose':
        o.verbose = true;
        break;
      case 'size': {
        const w = strtol(value!);
        const h = w.rest.startsWith('x') && w.rest.length > 1 ? strtol(w.rest.slice(1)) : null;
        if (!w.digits || !h || h.rest !== '') {
          err.write(`Invalid size '${value}', must be width x height\n`);
          return 2;
        }
        if (w.value === 0 || h.value === 0) {
          err.write(`Invalid size ${w.value >>> 0}x${h.value >>> 0}, width and height may not be zero\n`);
          return 2;
        }
        o.size = { width: w.value >>> 0, height: h.value >>> 0 };
        break;
      }
      case 'bit-rate': {
        const v = strtol(value!);
        let rate: number;
        if (v.rest === '') rate = v.value;
        else if (/^[mM]$/.test(v.rest)) rate = v.value * 1_000_000;
        else {
          err.write(`Unrecognized value: ${value}\n`);
          return 2;
        }
        rate = rate | 0;
        if (rate < MIN_BIT_RATE || rate > MAX_BIT_RATE) {
          err.write(`Bit rate ${rate}bps outside acceptable range [${MIN_BIT_RATE},${MAX_BIT_RATE}]\n`);
          return 2;
        }
        o.bitRate = rate;
        break;
      }
      case 'time-limit': {
        // atoi() then the range check of the Android 13/14 screenrecord: 1..180 s.
        const t = strtol(value!).value | 0;
        if (t === 0 || t > MAX_TIME_LIMIT_SEC || t < 0) {
          err.write(`Time limit ${t}s outside acceptable range [1,${MAX_TIME_LIMIT_SEC}]\n`);
          return 2;
        }
        o.timeLimitSec = t;
        break;
      }
      case 'bugreport':
        o.bugreport = true;
        break;
      case 'output-format':
        // The virtual phone records AVC only: mp4 and h264. The other formats screenrecord knows (webm, 3gpp,
        // frames, raw-frames) are refused with the message a screenrecord without them prints.
        if (value === 'mp4' || value === 'h264') o.format = value;
        else {
          err.write(`Unknown format '${value}'\n`);
          return 2;
        }
        break;
      default:
        // The "unofficial" options are accepted and change nothing here.
        break;
    }
  }
  if (positional.length !== 1) {
    err.write('Must specify output file (see --help).\n');
    return 2;
  }
  o.file = positional[0]!;
  return o;
}

/** The codec string (avc1.PPCCLL) from the SPS in front of a key frame. */
function codecString(au: Buffer): string {
  for (let i = 0; i + 4 < au.length; i++) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1 && (au[i + 3]! & 0x1f) === 7) {
      return 'avc1.' + [au[i + 4]!, au[i + 5]!, au[i + 6]!].map((b) => b.toString(16).padStart(2, '0')).join('');
    }
  }
  return 'avc1.42c033';
}

function encoderFits(w: number, h: number): boolean {
  return w % 2 === 0 && h % 2 === 0 && w >= 16 && h >= 16 && w <= MAX_SIDE && h <= MAX_SIDE && Math.ceil(w / 16) * Math.ceil(h / 16) <= MAX_MACROBLOCKS;
}

/** Where the recording goes: a byte stream (stdout or an .h264 file) or an MP4 muxed when it ends. */
interface Sink {
  frame(f: VideoFrame, data: Buffer, key: boolean): void;
  /** Whether the reader keeps up (a busy sink drops frames). */
  ready(): boolean;
  /** The storage is full (or the recording reached MAX_FILE_BYTES): the recording ends. */
  full(): boolean;
  finish(endTime: number): Promise<string | null>;
}

function rawSink(out: Output | null, file: string | null, sys: AndroidSystem): Sink {
  const parts: Buffer[] = [];
  let size = 0;
  let busy = false;
  return {
    frame(_f, data) {
      if (out) {
        if (!out.write(data) && !busy) {
          busy = true;
          void out.waitForDrain().then(() => (busy = false));
        }
      } else {
        parts.push(data);
        size += data.length;
      }
    },
    ready: () => !busy && (out === null || !out.closed),
    full: () => out === null && size >= Math.min(MAX_FILE_BYTES, sys.fs.freeBytes),
    async finish() {
      // fwrite's failures go unchecked in screenrecord: a file that does not fit is simply not there.
      if (file) {
        try {
          sys.fs.writeFile(file, Buffer.concat(parts, size), 0o644);
        } catch {
          // no space left
        }
      }
      return null;
    },
  };
}

function mp4Sink(sys: AndroidSystem, file: string, size: { width: number; height: number }): Sink {
  const target = new BufferTarget();
  const muxer = new MediaOutput({ format: new Mp4OutputFormat(), target });
  const source = new EncodedVideoPacketSource('avc');
  muxer.addVideoTrack(source, { frameRate: MAX_FPS });
  let chain: Promise<void> = muxer.start();
  let pending: { data: Buffer; key: boolean; time: number } | null = null;
  let first: number | null = null;
  let bytes = 0;
  let failed: string | null = null;
  const add = (p: { data: Buffer; key: boolean; time: number }, next: number): void => {
    const meta = first === p.time ? { decoderConfig: { codec: codecString(p.data), codedWidth: size.width, codedHeight: size.height } } : undefined;
    const packet = new EncodedPacket(p.data, p.key ? 'key' : 'delta', (p.time - first!) / 1000, Math.max(1, next - p.time) / 1000);
    chain = chain.then(() => source.add(packet, meta)).catch((e: unknown) => {
      failed ??= String(e);
    });
  };
  return {
    frame(f, data, key) {
      first ??= f.time;
      if (pending) add(pending, f.time);
      pending = { data, key, time: f.time };
      bytes += data.length;
    },
    // A full disk ends the recording as the muxer's write failure does (ENOSPC).
    ready: () => failed === null,
    full: () => bytes >= Math.min(MAX_FILE_BYTES, sys.fs.freeBytes),
    async finish(endTime) {
      if (pending) add(pending, Math.max(endTime, pending.time + 1));
      await chain;
      if (failed) return 'Failed writing data to muxer (err=-28)\n';
      if (first === null) {
        await muxer.cancel();
        return null;
      }
      await muxer.finalize();
      const mp4 = Buffer.from(target.buffer!);
      if (mp4.length > sys.fs.freeBytes) return 'Failed writing data to muxer (err=-28)\n';
      sys.fs.writeFile(file, mp4, 0o644);
      return null;
    },
  };
}

export function screenrecordCommand(sys: AndroidSystem): CommandFn {
  return async ({ argv, out, err }) => {
    const parsed = parse(argv, sys, err);
    if (typeof parsed === 'number') return parsed;
    const o = parsed;
    const toStdout = o.file === '-';
    if (o.format === 'mp4' && toStdout) {
      err.write("Unable to open '-': Read-only file system\n");
      return 1;
    }
    if (o.format === 'mp4' && !sys.fs.stat(o.file.replace(/\/[^/]*$/, '') || '/')) {
      err.write(`Unable to open '${o.file}': No such file or directory\n`);
      return 1;
    }
    const display = sys.device.screen;
    if (o.verbose) {
      out.write(`Display is ${display.width}x${display.height} @60.00fps (orientation=ROTATION_0), layerStack=0\n`);
    }
    let size = o.size ?? { width: display.width & ~1, height: display.height & ~1 };
    const codec = sys.device.screenrecord;
    const prepare = (s: { width: number; height: number }): number => {
      if (o.verbose) out.write(`Configuring recorder for ${s.width}x${s.height} video/avc at ${(o.bitRate / 1_000_000).toFixed(2)}Mbps\n`);
      if (codec === 'no-codec') {
        err.write('ERROR: unable to create video/avc codec instance\n');
        return UNKNOWN_ERROR;
      }
      if (!encoderFits(s.width, s.height)) {
        err.write(`ERROR: unable to configure video/avc codec at ${s.width}x${s.height} (err=${UNKNOWN_ERROR})\n`);
        return UNKNOWN_ERROR;
      }
      return 0;
    };
    let status = prepare(size);
    if (status !== 0 && !o.size) {
      // screenrecord retries an unsized recording at 720p (portrait: 720x1280) before giving up.
      const portrait = size.width < size.height;
      const fallback = { width: portrait ? 720 : 1280, height: portrait ? 1280 : 720 };
      if (size.width !== fallback.width && size.height !== fallback.height) {
        err.write(`WARNING: failed at ${size.width}x${size.height}, retrying at ${fallback.width}x${fallback.height}\n`);
        size = fallback;
        status = prepare(size);
      }
    }
    // main() returns the status_t: the shell sees its low byte (UNKNOWN_ERROR's is 0).
    if (status !== 0) return status & 0xff;
    if (o.verbose && toStdout) {
      err.write("ERROR: verbose output and '-' not compatible");
      return 255;
    }
    if (o.verbose) {
      const a = contentArea(display, size);
      out.write(`Content area is ${a.width}x${a.height} at offset x=${a.x} y=${a.y}\n`);
      if (o.bugreport) out.write('Bugreport overlay created\n');
    }

    const sink = o.format === 'mp4' ? mp4Sink(sys, o.file, size) : rawSink(toStdout ? out : null, toStdout ? null : o.file, sys);
    const encoder = new H264Encoder(size);
    let stopped!: () => void;
    const done = new Promise<void>((resolve) => (stopped = resolve));
    let failure: string | null = null;
    // A reader that does not keep up (or a full disk) makes the clock drop frames, as a full encoder queue does.
    const ready = (): boolean => {
      if (sink.full()) {
        failure ??= o.format === 'mp4' ? 'Failed writing data to muxer (err=-28)\nEncoder failed (err=-28)\n' : '';
        stopped();
        return false;
      }
      return codec !== 'silent' && sink.ready();
    };
    const clock = new FrameClock(sys, size, { bugreport: o.bugreport, ready }, (f) => {
      let au: { data: Buffer; key: boolean };
      try {
        au = encoder.encode(f.rgb, { key: f.key, motion: f.motion });
      } catch (e) {
        failure = `Encoder failed (err=${UNKNOWN_ERROR})\n`;
        void e;
        stopped();
        return;
      }
      sink.frame(f, au.data, au.key);
    });
    // The first frame is composed at start (the phone's first picture can take a while to draw): the time
    // limit counts from there, as screenrecord's runEncoder starts its clock once the encoder is running.
    clock.start();
    const start = sys.clock.now();
    const limit = sys.clock.setTimer(() => {
      if (o.verbose) out.write('Time limit reached\n');
      stopped();
    }, o.timeLimitSec * 1000);
    // The host closing the stream is screenrecord's SIGHUP.
    void out.whenClosed().then(() => stopped());
    try {
      await done;
    } finally {
      clock.stop();
      sys.clock.clearTimer(limit);
    }
    const end = sys.clock.now();
    if (o.verbose && !out.closed) {
      out.write(`Encoder stopping; recorded ${clock.frames} frames in ${Math.floor((end - start) / 1000)} seconds\n`);
      out.write('Stopping encoder and muxer\n');
    }
    const muxError = failure === null || o.format === 'h264' ? await sink.finish(end) : null;
    if (failure !== null || muxError) {
      err.write(failure ?? `${muxError!}Encoder failed (err=-28)\n`);
      return 0;
    }
    if (o.verbose && o.format === 'mp4') out.write(`Executing: /system/bin/am broadcast -a android.intent.action.MEDIA_SCANNER_SCAN_FILE -d file://${o.file}\n`);
    return 0;
  };
}
