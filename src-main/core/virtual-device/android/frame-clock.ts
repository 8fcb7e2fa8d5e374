/**
 * screenrecord's virtual display: frames of the phone's screen, composed only when the picture changes (as
 * SurfaceFlinger composes only on change), the previous frame repeated after REPEAT_AFTER_MS of stillness (so a
 * still screen keeps a stream alive and a player's clock moving), at most MAX_FPS, a key frame first and then at
 * least every I_FRAME_INTERVAL_MS (screenrecord configures MediaCodec with KEY_I_FRAME_INTERVAL 10). Each frame is
 * the screencap raster scaled into the video size with the display's aspect kept (black bars, as screenrecord's
 * display projection does), and, with --bugreport, stamped with the device time. It owns its one timer; stop() clears it.
 */
import type { AndroidSystem } from './android-system.js';
import { Raster, rasterScreen, screenKey } from './screen-render.js';
import { formatDeviceTime } from './log-format.js';
import type { ScreenContent, UiNode } from './ui-tree.js';

export const MAX_FPS = 60;
/** scrcpy's REPEAT_FRAME_DELAY_US (100 ms); AOSP screenrecord sets no repeat, so a still phone sends nothing there. */
export const REPEAT_AFTER_MS = 100;
/** screenrecord.cpp: format->setInt32(KEY_I_FRAME_INTERVAL, 10). */
export const I_FRAME_INTERVAL_MS = 10_000;

export interface VideoFrame {
  /** RGB, width*height*3. */
  rgb: Uint8Array;
  key: boolean;
  /** Picture motion since the last frame, in video pixels (content moved by dx, dy), when only a scroll changed it. */
  motion: { dx: number; dy: number } | null;
  /** Device time (ms) the frame shows. */
  time: number;
  /** A repeat of the previous picture (nothing changed). */
  repeat: boolean;
}

/** Where the display's picture lands in the video (screenrecord.cpp setDisplayProjection, rotation off). */
export function contentArea(display: { width: number; height: number }, video: { width: number; height: number }): { x: number; y: number; width: number; height: number } {
  const aspect = display.height / display.width;
  let w: number, h: number;
  if (video.height > Math.floor(video.width * aspect)) {
    w = video.width;
    h = Math.floor(video.width * aspect);
  } else {
    h = video.height;
    w = Math.floor(video.height / aspect);
  }
  return { x: Math.floor((video.width - w) / 2), y: Math.floor((video.height - h) / 2), width: w, height: h };
}

function documentOf(screen: ScreenContent | null): UiNode | undefined {
  const find = (nodes: UiNode[]): UiNode | undefined => {
    for (const n of nodes) {
      if (n.document) return n;
      const c = find(n.children);
      if (c) return c;
    }
    return undefined;
  };
  return screen ? find(screen.nodes) : undefined;
}

export class FrameClock {
  private timer: number | null = null;
  private lastKey: string | null = null;
  private lastStructure: string | null = null;
  private lastOffset = 0;
  private lastEmit = -Infinity;
  private lastKeyFrame = -Infinity;
  private frame: Uint8Array;
  private xMap: Int32Array;
  private yMap: Int32Array;
  private area: ReturnType<typeof contentArea>;
  private display: { width: number; height: number };
  frames = 0;

  constructor(
    private sys: AndroidSystem,
    readonly size: { width: number; height: number },
    private opts: { bugreport: boolean; ready?: () => boolean },
    private onFrame: (f: VideoFrame) => void,
  ) {
    this.display = { width: sys.device.screen.width, height: sys.device.screen.height };
    this.area = contentArea(this.display, size);
    this.frame = new Uint8Array(size.width * size.height * 3);
    this.xMap = Int32Array.from({ length: this.area.width }, (_, x) => Math.min(this.display.width - 1, Math.floor(((x + 0.5) * this.display.width) / this.area.width)));
    this.yMap = Int32Array.from({ length: this.area.height }, (_, y) => Math.min(this.display.height - 1, Math.floor(((y + 0.5) * this.display.height) / this.area.height)));
  }

  start(): void {
    if (this.timer !== null) return;
    this.sys.screenRecorders++;
    this.tick();
  }

  stop(): void {
    if (this.timer === null) return;
    this.sys.clock.clearTimer(this.timer);
    this.timer = null;
    this.sys.screenRecorders--;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  private tick(): void {
    this.timer = this.sys.clock.setTimer(() => this.tick(), 1000 / MAX_FPS);
    // A busy sink (slow reader, full disk): the frame is dropped, as SurfaceFlinger drops frames for a full encoder queue.
    if (this.opts.ready && !this.opts.ready()) return;
    const now = this.sys.clock.now();
    const screen = this.sys.screen();
    const status = formatDeviceTime(now, this.sys.device.timezoneOffsetMinutes).slice(6, 11);
    const key = screenKey(screen, this.display.width, this.display.height, status);
    const changed = key !== this.lastKey;
    if (!changed && now - this.lastEmit < REPEAT_AFTER_MS) return;
    let motion: VideoFrame['motion'] = null;
    if (changed) {
      const doc = documentOf(screen);
      const offset = doc?.document?.offsetPx ?? 0;
      if (doc) doc.document!.offsetPx = 0;
      const structure = JSON.stringify([screen, status]);
      if (doc) doc.document!.offsetPx = offset;
      if (this.lastKey !== null && structure === this.lastStructure && offset !== this.lastOffset) {
        motion = { dx: 0, dy: Math.round(((this.lastOffset - offset) * this.area.height) / this.display.height) };
      }
      this.lastStructure = structure;
      this.lastOffset = offset;
      this.scale(rasterScreen(screen, this.display.width, this.display.height, status, key));
      this.lastKey = key;
    }
    const wantKey = now - this.lastKeyFrame >= I_FRAME_INTERVAL_MS;
    if (wantKey) this.lastKeyFrame = now;
    this.lastEmit = now;
    this.frames++;
    let rgb = this.frame;
    if (this.opts.bugreport) {
      rgb = this.stamp(now);
      motion = null;
    }
    this.onFrame({ rgb, key: wantKey, motion, time: now, repeat: !changed && !this.opts.bugreport });
  }

  /** Nearest-neighbour scaling of the display into the content area (box filtering would cost 4x for no gain in a test). */
  private scale(src: Raster): void {
    const { x: ox, y: oy, width: aw, height: ah } = this.area;
    const W = this.size.width, out = this.frame, px = src.pixels, sw = src.width;
    if (aw === sw && ah === src.height && W === aw) {
      out.set(px, oy * W * 3);
      return;
    }
    for (let y = 0; y < ah; y++) {
      const srow = this.yMap[y]! * sw * 3;
      let o = ((y + oy) * W + ox) * 3;
      for (let x = 0; x < aw; x++, o += 3) {
        const s = srow + this.xMap[x]! * 3;
        out[o] = px[s]!;
        out[o + 1] = px[s + 1]!;
        out[o + 2] = px[s + 2]!;
      }
    }
  }

  /**
   * --bugreport's overlay: the device's wall time to the millisecond and the frame number, drawn over each frame
   * (screenrecord's Overlay prints "%H:%M:%S.mmm frameNumber" so frames line up with logcat).
   */
  private stamp(now: number): Uint8Array {
    const r = new Raster(this.size.width, this.size.height, [0, 0, 0]);
    r.pixels.set(this.frame);
    const text = `${formatDeviceTime(now, this.sys.device.timezoneOffsetMinutes).slice(6, 18)} ${this.frames - 1}`;
    const size = Math.max(12, Math.round(this.size.height / 50));
    r.fillRect(0, 0, Math.min(this.size.width, size * 11), Math.round(size * 1.5), [0, 0, 0]);
    r.text(text, 4, Math.round(size * 1.15), size, [255, 255, 255]);
    return r.pixels;
  }
}
