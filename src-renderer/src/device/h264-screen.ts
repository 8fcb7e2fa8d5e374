/**
 * The live screen's H.264 decoder: access units (Annex B, as `screenFrame` events carry them) in, the newest
 * decoded picture painted on a canvas once per animation frame out. It owns the WebCodecs VideoDecoder and every
 * VideoFrame it yields: a frame that is not painted is closed at once (a newer one replaced it), so the page's
 * video memory stays at one frame however far painting falls behind. Decoding never queues without bound: past
 * MAX_DECODE_QUEUE units waiting, the decoder is dropped and the next key frame starts it again.
 *
 * Rules the core's stream follows (src-preload/screen.ts): `stream` is the generation (a restart or a new size
 * starts a new one with a key frame); `seq` grows within a generation, and a new watcher makes the core resend the
 * current group of pictures with the same seq numbers — so a unit at or below the last one decoded is a repeat.
 * No data leaves this module: pixels go to the canvas only.
 */
import type { ScreenFrame } from '../../../src-preload/screen';

/** Units waiting in the decoder beyond which it is reset (the page cannot keep up; ~1 s at 30 fps). */
export const MAX_DECODE_QUEUE = 30;
/** Units held while the browser answers whether it decodes a new stream's codec (then decoded in order). */
const MAX_HELD = 120;
/** Decoder errors in a row (no picture in between) after which the live screen gives up on video. */
const MAX_ERRORS = 3;
/** Paint times kept for the frame rate (the last second's worth at most). */
const FPS_WINDOW_MS = 1000;

/** Why the screen cannot show video in this page: the tab says so and shows screenshots instead. */
export type DecodeFallback = 'webcodecs-missing' | 'codec-unsupported' | 'decode-error';

export interface H264Stats {
  /** Units given to the decoder, pictures it returned, pictures painted, pictures closed unpainted. */
  submitted: number;
  decoded: number;
  painted: number;
  dropped: number;
  /** Units skipped: repeats (seq ≤ last), or deltas while waiting for a key frame. */
  skipped: number;
  /** Decoder resets because its queue grew past MAX_DECODE_QUEUE. */
  overloads: number;
  /** Pictures painted in the last second. */
  fps: number;
  /** The stream's picture size (the canvas size), null before the first picture. */
  width: number | null;
  height: number | null;
  stream: number | null;
}

export interface H264ScreenHooks {
  /** Video cannot be shown here (said once; the screen falls back to screenshots). */
  onFallback(reason: DecodeFallback): void;
  /** The decoder was reset and needs a key frame: the owner may ask the core to resend the group of pictures. */
  onNeedKeyFrame?(): void;
  /** A picture was painted (called inside the animation frame). */
  onPaint?(): void;
}

/** Whether this page has WebCodecs at all (Electron's and Chromium's renderers do, in a secure context). */
export function hasWebCodecs(): boolean {
  return typeof globalThis.VideoDecoder === 'function' && typeof globalThis.EncodedVideoChunk === 'function';
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export class H264Screen {
  private decoder: VideoDecoder | null = null;
  private config: { codec: string; width: number; height: number } | null = null;
  private stream: number | null = null;
  private lastSeq = -Infinity;
  private waitKey = true;
  /** The newest decoded picture not painted yet (any older one was closed when this came). */
  private pending: VideoFrame | null = null;
  private raf = 0;
  private errorsInRow = 0;
  private closed = false;
  private fellBack = false;
  /** Codec strings the browser said it decodes (asked once each). */
  private readonly supported = new Map<string, boolean>();
  /** Units held while isConfigSupported is pending for the current stream's codec. */
  private held: ScreenFrame[] | null = null;
  private readonly paints: number[] = [];
  private readonly counts = { submitted: 0, decoded: 0, painted: 0, dropped: 0, skipped: 0, overloads: 0 };
  private size: { width: number; height: number } | null = null;

  /** Only where hasWebCodecs() (the owner says 'webcodecs-missing' otherwise). */
  constructor(private readonly canvas: HTMLCanvasElement, private readonly hooks: H264ScreenHooks) {}

  /** One access unit from the core, in arrival order. */
  push(f: ScreenFrame): void {
    if (this.closed || this.fellBack) return;
    if (this.stream === null || f.stream > this.stream) {
      // A new generation: its own config and key frame. (A lower one is a late unit of a finished run.)
      this.stream = f.stream;
      this.restartDecoding();
    } else if (f.stream < this.stream) {
      this.counts.skipped++;
      return;
    }
    if (f.seq <= this.lastSeq) {
      this.counts.skipped++;
      return;
    }
    if (this.held) {
      if (this.held.length >= MAX_HELD) {
        this.held = null;
        this.restartDecoding();
      } else {
        this.held.push(f);
        this.lastSeq = f.seq;
        return;
      }
    }
    if (this.waitKey && !f.key) {
      this.counts.skipped++;
      return;
    }
    this.lastSeq = f.seq;
    const known = this.supported.get(f.codec);
    if (known === undefined) {
      this.held = [f];
      void this.askSupport(f);
      return;
    }
    if (!known) {
      this.fallBack('codec-unsupported');
      return;
    }
    this.decode(f);
  }

  /**
   * Forget the stream's position and wait for a key frame: after a new watch (the core resends the group of
   * pictures from its key frame) or when the page comes back after being hidden.
   */
  restart(): void {
    this.stream = null;
    this.restartDecoding();
  }

  stats(): H264Stats {
    const now = performance.now();
    while (this.paints.length && now - this.paints[0]! > FPS_WINDOW_MS) this.paints.shift();
    return { ...this.counts, fps: this.paints.length, width: this.size?.width ?? null, height: this.size?.height ?? null, stream: this.stream };
  }

  close(): void {
    this.closed = true;
    this.dropDecoder();
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.held = null;
  }

  private async askSupport(f: ScreenFrame): Promise<void> {
    let ok = false;
    try {
      ok = (await VideoDecoder.isConfigSupported({ codec: f.codec, codedWidth: f.width, codedHeight: f.height, optimizeForLatency: true })).supported === true;
    } catch {
      ok = false;
    }
    this.supported.set(f.codec, ok);
    const held = this.held;
    this.held = null;
    if (this.closed || this.fellBack || !held) return;
    if (!ok) {
      this.fallBack('codec-unsupported');
      return;
    }
    for (const u of held) {
      if (u.stream !== this.stream) continue;
      if (this.waitKey && !u.key) {
        this.counts.skipped++;
        continue;
      }
      this.decode(u);
    }
  }

  private decode(f: ScreenFrame): void {
    if (f.key) {
      const same = this.decoder && this.config && this.config.codec === f.codec && this.config.width === f.width && this.config.height === f.height;
      if (!same) this.configure(f);
    }
    const decoder = this.decoder;
    if (!decoder) return;
    if (decoder.decodeQueueSize > MAX_DECODE_QUEUE) {
      // The page cannot keep up: drop what is queued rather than fall further behind the phone.
      this.counts.overloads++;
      this.restartDecoding();
      this.hooks.onNeedKeyFrame?.();
      if (!f.key) return;
      this.configure(f);
    }
    try {
      this.decoder!.decode(new EncodedVideoChunk({ type: f.key ? 'key' : 'delta', timestamp: Math.round(f.hostTime * 1000), data: decodeBase64(f.data) }));
      this.counts.submitted++;
      this.waitKey = false;
    } catch {
      // A closed decoder, or a delta where a key frame was needed: start again from the next key frame.
      this.restartDecoding();
    }
  }

  private configure(f: ScreenFrame): void {
    this.dropDecoder();
    // Annex B: no `description`, so the decoder reads SPS/PPS from the key frame's own bytes.
    const decoder = new VideoDecoder({
      output: (frame) => this.onPicture(decoder, frame),
      error: () => this.onError(decoder),
    });
    try {
      decoder.configure({ codec: f.codec, codedWidth: f.width, codedHeight: f.height, optimizeForLatency: true });
    } catch {
      this.fallBack('codec-unsupported');
      return;
    }
    this.decoder = decoder;
    this.config = { codec: f.codec, width: f.width, height: f.height };
  }

  private onPicture(from: VideoDecoder, frame: VideoFrame): void {
    if (this.closed || from !== this.decoder) {
      frame.close();
      return;
    }
    this.counts.decoded++;
    this.errorsInRow = 0;
    if (this.pending) {
      this.pending.close();
      this.counts.dropped++;
    }
    this.pending = frame;
    if (!this.raf) this.raf = requestAnimationFrame(() => this.paint());
  }

  private paint(): void {
    this.raf = 0;
    const frame = this.pending;
    this.pending = null;
    if (!frame || this.closed) {
      frame?.close();
      return;
    }
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    try {
      this.canvas.getContext('2d')?.drawImage(frame, 0, 0, width, height);
      this.size = { width, height };
      this.counts.painted++;
      this.paints.push(performance.now());
      if (this.paints.length > 240) this.paints.shift();
    } finally {
      frame.close();
    }
    this.hooks.onPaint?.();
  }

  private onError(from: VideoDecoder): void {
    if (from !== this.decoder) return;
    this.decoder = null;
    this.config = null;
    this.waitKey = true;
    if (++this.errorsInRow >= MAX_ERRORS) this.fallBack('decode-error');
    else this.hooks.onNeedKeyFrame?.();
  }

  /** Drop the decoder and what it holds; the next key frame configures a fresh one. */
  private restartDecoding(): void {
    this.dropDecoder();
    this.lastSeq = -Infinity;
    this.waitKey = true;
    this.held = null;
  }

  private dropDecoder(): void {
    const d = this.decoder;
    this.decoder = null;
    this.config = null;
    if (d && d.state !== 'closed') d.close();
    if (this.pending) {
      this.pending.close();
      this.pending = null;
    }
  }

  private fallBack(reason: DecodeFallback): void {
    if (this.fellBack) return;
    this.fellBack = true;
    this.close();
    this.hooks.onFallback(reason);
  }
}
