/**
 * The phone's screen, live while this tab is visible: the phone's H.264 stream decoded onto a canvas
 * (use-live-video.ts), or where the phone or this page gives no video, screenshots in a request loop (no
 * polling at all when hidden) — the tab says which and why. With taps and swipes sent at device coordinates, hardware keys, text input, saved screenshots,
 * zoom, and the UI tree beside it — hovering a node outlines it on the image. States a phone is expected to be in
 * are said in place, not raised as errors: a phone that is gone (its last picture greyed until it is back),
 * a screen that is off (no UI tree to read).
 *
 * Its size comes from the space it is given (the viewport it sits in, measured by a ResizeObserver) and the
 * phone's aspect ratio, never from timers after a frame arrives: the same window shows the phone at the same
 * size on every visit. Zoom multiplies that fitted size; past 1 the frame scrolls.
 */
import type React from 'react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputAction, UiDumpNode, UiTree } from '../../../src-preload/api';
import { api } from '../api-client';
import { callOrToast, pushToast, useStream } from '../workbench-state';
import { errorText } from '../error-text';
import { mapToDevice, type Size } from './tap-mapping';
import { useLiveVideo, type LiveVideo } from './use-live-video';
import { UiTreeView } from './UiTreeView';
import { clampZoom, fitSize, readScreenPrefs, saveScreenPrefs, screenWindowUrl, ZOOM_STEPS, type ScreenVariant } from './screen-fit';

const KEYS = ['BACK', 'HOME', 'APP_SWITCH', 'POWER', 'VOLUME_UP', 'VOLUME_DOWN'] as const;
const MIN_FRAME_MS = 100;

interface Frame {
  url: string;
  width: number;
  height: number;
}

/** The last frame size seen per phone: a revisit lays the phone out at its real aspect before the first frame. */
const knownSize = new Map<string, { width: number; height: number }>();

/** The phone's own screen size per phone (device.details): taps on the video, which may be scaled, map to it. */
const phoneSizes = new Map<string, Size>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pngUrl(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
}

/**
 * `panel`: the Devices page (UI tree shown beside by default); `docked`: the guided workspace's phone column
 * (tree on demand); `window`: the detached screen-only window.
 */
export function ScreenTab({ serial, variant = 'panel' }: { serial: string; variant?: ScreenVariant }): React.JSX.Element {
  const { t } = useTranslation();
  const [frame, setFrame] = useState<Frame | null>(null);
  const [live, setLive] = useState(true);
  const [stats, setStats] = useState<{ fps: number; ms: number } | null>(null);
  const [tree, setTree] = useState<UiTree | null>(null);
  const [highlight, setHighlight] = useState<UiDumpNode | null>(null);
  const [text, setText] = useState('');
  /** The phone went away (the last screenshot failed because it is not connected). */
  const [shotLost, setPhoneLost] = useState(false);
  /** The last screenshot failed for another reason (before the first frame, the page says it is reading). */
  const [shotFailed, setShotFailed] = useState(false);
  /** Why there is no UI tree, when that is the phone's state (its screen is off). */
  const [treeInfo, setTreeInfo] = useState<string | null>(null);
  const [prefs, setPrefs] = useState(() => readScreenPrefs(variant));
  const [room, setRoom] = useState<{ width: number; height: number } | null>(null);
  const img = useRef<HTMLImageElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const video = useLiveVideo(serial, live, canvas);
  const onVideo = video.source === 'video';
  const [phoneSize, setPhoneSize] = useState<Size | null>(() => phoneSizes.get(serial) ?? null);
  // On video no screenshot fails to say the phone is gone: the device list says it (the stream just stops).
  const devices = useStream('devices', 'devices.list');
  const phoneLost = onVideo ? devices !== undefined && !devices.some((d) => d.serial === serial && d.state === 'device') : shotLost;
  const drag = useRef<{ x: number; y: number; at: number } | null>(null);
  const treeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => saveScreenPrefs(variant, prefs), [variant, prefs]);

  // The room the phone may take: the body's height, measured before paint and on every resize.
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const measure = (): void => setRoom({ width: window.innerWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);

  const refreshTree = useCallback(async () => {
    const o = await api.call('device.uiTree', { serial });
    if (o.ok) {
      setTree(o.value);
      setTreeInfo(null);
    } else if (o.error.details.reason === 'screen-off') {
      setTree(null);
      setTreeInfo(errorText(o.error, t));
    } else if (!isPhoneGone(o.error.code)) pushToast({ error: o.error });
  }, [serial, t]);

  useEffect(() => {
    void refreshTree();
  }, [refreshTree]);

  // The video may be scaled from the phone's pixels: taps need the phone's own size (read once per phone).
  useEffect(() => {
    if (!onVideo || phoneSizes.has(serial)) return;
    let gone = false;
    void api.call('device.details', { serial }).then((o) => {
      if (gone || !o.ok || !o.value.screen) return;
      const size = { width: o.value.screen.width, height: o.value.screen.height };
      phoneSizes.set(serial, size);
      setPhoneSize(size);
    });
    return () => {
      gone = true;
    };
  }, [serial, onVideo]);

  // Screenshots while there is no video to show: the phone or this page gives none, or its first picture is late.
  const wantShots = live && (video.source === 'screenshots' || (video.source === 'starting' && video.slow));
  useEffect(() => {
    if (!wantShots) return;
    let stopped = false;
    let lastUrl: string | null = null;
    let failedOnce = false;
    void (async () => {
      const durations: number[] = [];
      while (!stopped) {
        if (document.hidden) {
          await sleep(500);
          continue;
        }
        const started = performance.now();
        const o = await api.call('device.screenshot', { serial, save: false });
        if (stopped) break;
        if (!o.ok) {
          // A phone that is gone is said beside the screen (and in the session bar), not as an error.
          if (isPhoneGone(o.error.code)) setPhoneLost(true);
          else {
            setShotFailed(true);
            if (!failedOnce) pushToast({ error: o.error });
          }
          failedOnce = true;
          await sleep(2000);
          continue;
        }
        failedOnce = false;
        setPhoneLost(false);
        setShotFailed(false);
        const url = pngUrl(o.value.png);
        // Decode before showing, so the visible image never blanks while the next frame loads.
        const preload = new Image();
        preload.src = url;
        await preload.decode().catch(() => undefined);
        if (stopped) {
          URL.revokeObjectURL(url);
          break;
        }
        knownSize.set(serial, { width: o.value.width, height: o.value.height });
        setFrame({ url, width: o.value.width, height: o.value.height });
        if (lastUrl) URL.revokeObjectURL(lastUrl);
        lastUrl = url;
        const ms = performance.now() - started;
        durations.push(Math.max(ms, MIN_FRAME_MS));
        if (durations.length > 10) durations.shift();
        setStats({ fps: Math.round((1000 / (durations.reduce((a, b) => a + b, 0) / durations.length)) * 10) / 10, ms: Math.round(ms) });
        await sleep(Math.max(0, MIN_FRAME_MS - ms));
      }
      if (lastUrl) URL.revokeObjectURL(lastUrl);
    })();
    return () => {
      stopped = true;
    };
  }, [serial, wantShots]);

  const send = async (action: InputAction): Promise<void> => {
    if (await callOrToast('device.input', { serial, action })) {
      if (treeTimer.current) clearTimeout(treeTimer.current);
      treeTimer.current = setTimeout(() => void refreshTree(), 400);
    }
  };

  // On video the phone's coordinates are its own size, turned as the stream is (a landscape stream: the phone is rotated).
  const videoPhone = video.stats?.width && video.stats.height && phoneSize ? orient(phoneSize, { width: video.stats.width, height: video.stats.height }) : null;
  // Fallen back from video with no screenshot yet: the last video picture stays, still tappable.
  const canvasShown = onVideo || (!frame && !!video.stats?.painted && !!videoPhone);
  const tapSpace: Size | null = canvasShown ? videoPhone : frame;

  const toDevice = (clientX: number, clientY: number): { x: number; y: number } | null => {
    const el = canvasShown ? canvas.current : img.current;
    if (!el || !tapSpace) return null;
    const r = el.getBoundingClientRect();
    return mapToDevice({ x: clientX - r.left, y: clientY - r.top }, { width: r.width, height: r.height }, tapSpace);
  };
  const pointer = {
    onPointerDown: (e: React.PointerEvent) => {
      drag.current = { x: e.clientX, y: e.clientY, at: performance.now() };
    },
    onPointerUp: (e: React.PointerEvent) => {
      const start = drag.current;
      drag.current = null;
      if (!start) return;
      const a = toDevice(start.x, start.y);
      const b = toDevice(e.clientX, e.clientY);
      if (!a || !b) return;
      const moved = Math.hypot(e.clientX - start.x, e.clientY - start.y) > 8;
      void send(moved
        ? { kind: 'swipe', x1: a.x, y1: a.y, x2: b.x, y2: b.y, durationMs: Math.min(2000, Math.max(50, Math.round(performance.now() - start.at))) }
        : { kind: 'tap', x: a.x, y: a.y });
    },
  };

  const phone = tapSpace ?? frame ?? knownSize.get(serial) ?? { width: 1080, height: 2400 };
  const fit = room ? fitSize(phone, room, variant) : null;
  const zoom = clampZoom(prefs.zoom);
  const shown = fit ? { width: Math.round(fit.width * zoom), height: Math.round(fit.height * zoom) } : null;
  const scale = shown ? shown.width / phone.width : 0;
  const setZoom = (z: number): void => setPrefs((p) => ({ ...p, zoom: clampZoom(z) }));
  const zoomBy = (dir: 1 | -1): void => {
    const i = ZOOM_STEPS.findIndex((s) => s >= zoom - 1e-6);
    const at = i < 0 ? ZOOM_STEPS.length - 1 : i;
    setZoom(ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, Math.max(0, at + dir))]!);
  };
  const showTree = prefs.tree;
  const detach = (): void => {
    window.open(screenWindowUrl(location.href, serial), `apprights-screen-${serial}`, 'popup,width=540,height=900');
  };

  return (
    <div className={`screen-tab screen-variant-${variant}${showTree ? '' : ' no-tree'}`}>
      <div className="screen-col">
        <div className="screen-body" ref={body}>
          <div
            className="screen-viewport"
            style={fit ? { width: fit.width + (zoom > 1 ? 12 : 2), height: fit.height + 2 } : undefined}
            tabIndex={0}
            aria-label={t('device.screen.viewport', { zoom: Math.round(zoom * 100) })}
            title={t('device.screen.hint')}
            data-testid="screen-viewport"
            onKeyDown={(e) => {
              if (e.ctrlKey || e.metaKey || e.altKey) return;
              if (e.key === '+' || e.key === '=') zoomBy(1);
              else if (e.key === '-') zoomBy(-1);
              else if (e.key === '0') setZoom(1);
              else return;
              e.preventDefault();
              e.stopPropagation();
            }}
          >
            <div className="screen-frame" style={shown ?? undefined}>
              {/* Always in the page, shown once a picture is painted: the decoder paints it while screenshots still show. */}
              <canvas
                ref={canvas}
                hidden={!canvasShown}
                data-testid={canvasShown ? 'live-screen' : 'video-canvas'}
                data-source="video"
                role="img"
                aria-label={serial}
                className={phoneLost ? 'stale' : undefined}
                title={phoneLost ? t('device.screen.lastFrame') : undefined}
                style={shown ?? undefined}
                data-width={tapSpace?.width}
                data-height={tapSpace?.height}
                data-decoded={video.stats?.decoded ?? 0}
                data-painted={video.stats?.painted ?? 0}
                {...pointer}
              />
              {!onVideo && frame ? (
                <>
                  <img
                    ref={img}
                    src={frame.url}
                    alt={serial}
                    draggable={false}
                    data-testid="live-screen"
                    className={phoneLost ? 'stale' : undefined}
                    title={phoneLost ? t('device.screen.lastFrame') : undefined}
                    style={shown ?? undefined}
                    data-source="screenshots"
                    data-width={frame.width}
                    data-height={frame.height}
                    {...pointer}
                  />
                </>
              ) : !canvasShown ? (
                <p className="muted no-screen">{t(phoneLost ? 'device.screen.phoneLost' : shotFailed ? 'device.screen.noScreen' : 'device.screen.loading')}</p>
              ) : null}
              {(canvasShown || frame) && highlight && scale > 0 && (
                    <div className="node-outline" data-testid="node-outline" style={{
                      left: highlight.bounds[0] * scale, top: highlight.bounds[1] * scale,
                      width: (highlight.bounds[2] - highlight.bounds[0]) * scale, height: (highlight.bounds[3] - highlight.bounds[1]) * scale,
                    }} />
              )}
            </div>
            {live && onVideo && video.stats && <span className="fps" data-testid="fps" data-source="video">{t('device.screen.videoFps', { fps: video.stats.fps })}</span>}
            {live && !onVideo && stats && <span className="fps" data-testid="fps" data-source="screenshots">{t('device.screen.fps', stats)}</span>}
          </div>
          <div className="screen-side">
            <div className="toolbar">
              <button onClick={() => setLive((v) => !v)} aria-pressed={live} data-testid="live-toggle">{live ? t('device.screen.pause') : t('device.screen.resume')}</button>
              <button data-testid="save-screenshot" onClick={() => void callOrToast('device.screenshot', { serial, save: true }).then((s) => s?.savedPath && pushToast({ error: null, message: t('device.screen.saved', { path: s.savedPath }) }))}>{t('device.screen.save')}</button>
              {variant !== 'panel' && (
                <button aria-pressed={showTree} onClick={() => setPrefs((p) => ({ ...p, tree: !p.tree }))} data-testid="ui-tree-toggle">{t('device.screen.tree')}</button>
              )}
              {variant === 'docked' && <button onClick={detach} title={t('device.screen.detachHint')} data-testid="screen-detach">{t('device.screen.detach')}</button>}
              {!live && <span className="muted" data-testid="screen-paused">{t('device.screen.paused')}</span>}
              {live && <SourceNote video={video} />}
              {phoneLost && <strong className="bad" role="status" data-testid="screen-phone-lost">{t('device.screen.phoneLost')}</strong>}
              {!phoneLost && treeInfo && <span className="muted" role="status" data-testid="screen-info">{treeInfo}</span>}
            </div>
            <div className="zoom" role="group" aria-label={t('device.screen.zoom')}>
              <button onClick={() => zoomBy(1)} disabled={zoom >= ZOOM_STEPS[ZOOM_STEPS.length - 1]!} aria-label={t('device.screen.zoomIn')} title={`${t('device.screen.zoomIn')} (+)`} data-testid="zoom-in">+</button>
              <button onClick={() => setZoom(1)} aria-pressed={zoom === 1} title={`${t('device.screen.fit')} (0)`} data-testid="zoom-fit">{zoom === 1 ? t('device.screen.fit') : `${Math.round(zoom * 100)}%`}</button>
              <button onClick={() => zoomBy(-1)} disabled={zoom <= ZOOM_STEPS[0]!} aria-label={t('device.screen.zoomOut')} title={`${t('device.screen.zoomOut')} (−)`} data-testid="zoom-out">−</button>
            </div>
            <div className="keys">
              {KEYS.map((k) => <button key={k} onClick={() => void send({ kind: 'key', key: k })} data-testid={`key-${k}`}>{t(`device.screen.keys.${k}`)}</button>)}
            </div>
            <form className="send-text" onSubmit={(e) => {
              e.preventDefault();
              if (text) void send({ kind: 'text', text }).then(() => setText(''));
            }}>
              <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('device.screen.text')} aria-label={t('device.screen.text')} />
              <button type="submit" disabled={!text}>{t('device.screen.send')}</button>
            </form>
          </div>
        </div>
      </div>
      {showTree && <UiTreeView tree={tree} onRefresh={() => void refreshTree()} onHover={setHighlight} />}
    </div>
  );
}

/** Says what the live screen shows: the phone's video, or screenshots and why. */
function SourceNote({ video }: { video: LiveVideo }): React.JSX.Element | null {
  const { t } = useTranslation();
  if (video.source === 'starting') return null;
  if (video.source === 'video') return <span className="muted screen-source" data-testid="screen-source" data-source="video">{t('device.screen.source.video')}</span>;
  const r = video.reason;
  const why = !r ? null
    : r.kind === 'decoder' ? t(`device.screen.source.decoder.${r.reason}`)
    : r.kind === 'phone' ? t('device.screen.source.phone', { reason: r.reason ?? '—' })
    : errorText(r.error, t);
  return (
    <span className="muted screen-source" role="status" data-testid="screen-source" data-source="screenshots">
      {t('device.screen.source.screenshots')}{why ? <><br />{why}</> : null}
    </span>
  );
}

/** The phone's size turned to the stream's orientation (a landscape stream of a phone that reports portrait). */
function orient(phone: Size, stream: Size): Size {
  return (phone.width > phone.height) === (stream.width > stream.height) ? phone : { width: phone.height, height: phone.width };
}

/** The phone is not connected: the call failed and the adb server no longer lists it online (AdbService.onDevice). */
function isPhoneGone(code: string): boolean {
  return code === 'adb.device-lost';
}
