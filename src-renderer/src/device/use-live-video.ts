/**
 * The live screen's video source for one phone: watches the phone's H.264 stream (`screen.watch`, renewed
 * within the lease) only while the screen is wanted — the component mounted, live (not paused) and the page
 * visible — feeds the phone's `screenFrame` units to an H264Screen painting the given canvas, and says which
 * source the tab should show: video once a picture is painted, screenshots (and why) when the core says the
 * phone gives none (`screenStatus` mode png), the watch is refused, or this page cannot decode the stream.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../src-preload/api';
import { SCREEN_WATCH_LEASE_MS, type ScreenFrame, type ScreenStatus } from '../../../src-preload/screen';
import { api } from '../api-client';
import { H264Screen, hasWebCodecs, type DecodeFallback, type H264Stats } from './h264-screen';

/** Renew well inside the lease, so a busy page or a slow round trip never lets it lapse. */
const RENEW_MS = Math.floor(SCREEN_WATCH_LEASE_MS / 3);
/**
 * A watch's first picture comes at once (the core resends the group of pictures): screenshots are asked for only
 * if none came within this long (a phone slow to start screenrecord, or one that will refuse it after 5 s).
 */
const FIRST_PICTURE_MS = 1500;
/** After a decoder reset, how long to wait for the stream's own next key frame before asking for the group of pictures again. */
const KEY_WAIT_MS = 1500;

/** Why the tab shows screenshots: the page cannot decode, the core says the phone gives no video, or the watch failed. */
export type ScreenshotReason =
  | { kind: 'decoder'; reason: DecodeFallback }
  | { kind: 'phone'; reason: string | null }
  | { kind: 'error'; error: BridgeError };

export interface LiveVideo {
  /** `video`: pictures from the H.264 stream are painted on the canvas; `screenshots`: PNG polling; `starting`: neither decided yet. */
  source: 'starting' | 'video' | 'screenshots';
  /** Starting for longer than FIRST_PICTURE_MS: show screenshots meanwhile. */
  slow: boolean;
  reason: ScreenshotReason | null;
  stats: H264Stats | null;
}

export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => !document.hidden);
  useEffect(() => {
    const on = (): void => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

export function useLiveVideo(serial: string, wanted: boolean, canvas: React.RefObject<HTMLCanvasElement | null>): LiveVideo {
  const visible = usePageVisible();
  const [state, setState] = useState<LiveVideo>({ source: 'starting', slow: false, reason: null, stats: null });
  /** Set once this page cannot decode the stream: no more watches for this phone while mounted. */
  const decoderFailed = useRef<DecodeFallback | null>(null);
  const active = wanted && visible;

  useEffect(() => {
    if (!active) return;
    const el = canvas.current;
    if (!el) return;
    if (!hasWebCodecs()) decoderFailed.current = 'webcodecs-missing';
    if (decoderFailed.current) {
      setState({ source: 'screenshots', slow: false, reason: { kind: 'decoder', reason: decoderFailed.current }, stats: null });
      return;
    }
    let stopped = false;
    let watchId: string | null = null;
    let phoneMode: ScreenStatus['mode'] | null = null;
    let painted = false;
    let keyTimer: ReturnType<typeof setTimeout> | null = null;
    let renewTimer: ReturnType<typeof setTimeout> | null = null;
    const slowTimer = setTimeout(() => show({ slow: true }), FIRST_PICTURE_MS);

    const show = (next: Partial<LiveVideo>): void => {
      if (!stopped) setState((s) => ({ ...s, ...next }));
    };
    const unwatch = (): void => {
      if (watchId) void api.call('screen.unwatch', { watchId });
      watchId = null;
    };

    const screen = new H264Screen(el, {
      onFallback: (reason) => {
        decoderFailed.current = reason;
        stop();
        setState({ source: 'screenshots', slow: false, reason: { kind: 'decoder', reason }, stats: null });
      },
      onNeedKeyFrame: () => {
        // The stream's next key frame may be seconds away: a fresh watch makes the core resend the current group.
        if (keyTimer) return;
        keyTimer = setTimeout(() => {
          keyTimer = null;
          if (!stopped) void rewatch();
        }, KEY_WAIT_MS);
      },
      onPaint: () => {
        if (painted) return;
        painted = true;
        clearTimeout(slowTimer);
        show({ source: 'video', slow: false, reason: null });
      },
    });

    const watch = async (): Promise<void> => {
      const o = await api.call('screen.watch', { serial, watchId });
      if (stopped) {
        if (o.ok) void api.call('screen.unwatch', { watchId: o.value.watchId });
        return;
      }
      if (!o.ok) {
        if (o.error.code === 'screen.no-watch' && watchId) {
          // The lease lapsed (a host restart, a long stall): start a new watch, which resends the group of pictures.
          watchId = null;
          screen.restart();
          return watch();
        }
        painted = false;
        show({ source: 'screenshots', reason: { kind: 'error', error: o.error } });
        // A phone that gives no video now may later (a reconnect): try again at the lease's pace.
        renewTimer = setTimeout(() => void watch(), SCREEN_WATCH_LEASE_MS);
        return;
      }
      watchId = o.value.watchId;
      status(o.value.status);
      renewTimer = setTimeout(() => void watch(), RENEW_MS);
    };
    const rewatch = async (): Promise<void> => {
      if (renewTimer) clearTimeout(renewTimer);
      unwatch();
      screen.restart();
      await watch();
    };
    const status = (s: ScreenStatus): void => {
      if (s.serial !== serial || s.mode === phoneMode) return;
      const was = phoneMode;
      phoneMode = s.mode;
      if (s.mode === 'png') {
        painted = false;
        show({ source: 'screenshots', reason: { kind: 'phone', reason: s.reason } });
      } else if (s.mode === 'h264' && was === 'png') {
        // Video again (the secure window closed, a new screenrecord run): from its next key frame.
        screen.restart();
        show({ source: 'starting', slow: true, reason: null });
      }
    };

    const offFrames = api.subscribe('screenFrame', (items: ScreenFrame[]) => {
      for (const f of items) if (f.serial === serial) screen.push(f);
    });
    const offStatus = api.subscribe('screenStatus', (items: ScreenStatus[]) => items.forEach(status));
    const statsTimer = setInterval(() => show({ stats: screen.stats() }), 500);
    function stop(): void {
      if (stopped) return;
      stopped = true;
      offFrames();
      offStatus();
      clearInterval(statsTimer);
      clearTimeout(slowTimer);
      if (keyTimer) clearTimeout(keyTimer);
      if (renewTimer) clearTimeout(renewTimer);
      unwatch();
      screen.close();
    }
    setState({ source: 'starting', slow: false, reason: null, stats: null });
    void watch();
    return stop;
  }, [serial, active, canvas]);

  return state;
}
