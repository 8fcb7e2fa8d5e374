/**
 * The phone's screen, live while this tab is visible (screencap in a request loop: no polling at all when
 * hidden), with taps and swipes sent at device coordinates, hardware keys, text input, saved screenshots,
 * and the UI tree beside it — hovering a node outlines it on the image. States a phone is expected to be in
 * are said in place, not raised as errors: a phone that is gone (its last picture greyed until it is back),
 * a screen that is off (no UI tree to read).
 */
import type React from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputAction, UiDumpNode, UiTree } from '../../../src-preload/api';
import { api } from '../api-client';
import { callOrToast, pushToast } from '../workbench-state';
import { errorText } from '../error-text';
import { mapToDevice } from './tap-mapping';
import { UiTreeView } from './UiTreeView';

const KEYS = ['BACK', 'HOME', 'APP_SWITCH', 'POWER', 'VOLUME_UP', 'VOLUME_DOWN'] as const;
const MIN_FRAME_MS = 100;

interface Frame {
  url: string;
  width: number;
  height: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pngUrl(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
}

export function ScreenTab({ serial }: { serial: string }): React.JSX.Element {
  const { t } = useTranslation();
  const [frame, setFrame] = useState<Frame | null>(null);
  const [live, setLive] = useState(true);
  const [stats, setStats] = useState<{ fps: number; ms: number } | null>(null);
  const [tree, setTree] = useState<UiTree | null>(null);
  const [highlight, setHighlight] = useState<UiDumpNode | null>(null);
  const [text, setText] = useState('');
  /** The phone went away (the last screenshot failed because it is not connected). */
  const [phoneLost, setPhoneLost] = useState(false);
  /** The last screenshot failed for another reason (before the first frame, the page says it is reading). */
  const [shotFailed, setShotFailed] = useState(false);
  /** Why there is no UI tree, when that is the phone's state (its screen is off). */
  const [treeInfo, setTreeInfo] = useState<string | null>(null);
  const img = useRef<HTMLImageElement>(null);
  const drag = useRef<{ x: number; y: number; at: number } | null>(null);
  const treeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const col = useRef<HTMLDivElement>(null);
  const frameBox = useRef<HTMLDivElement>(null);
  const [maxHeight, setMaxHeight] = useState<number | null>(null);
  const hasFrame = frame !== null;

  // The phone is as tall as the window allows once the panel has settled: what is above it (tabs, toolbar)
  // and below it (keys, text field, status bar) stays in view, so the whole phone is visible on 1366×768.
  useEffect(() => {
    const fit = (): void => {
      const f = frameBox.current?.getBoundingClientRect();
      const c = col.current?.getBoundingClientRect();
      if (!f || !c) return;
      const shown = img.current?.getBoundingClientRect().height ?? 0;
      const below = c.bottom - f.top - Math.max(shown, f.height);
      const status = document.querySelector('.statusbar')?.getBoundingClientRect().height ?? 0;
      setMaxHeight(Math.max(200, Math.floor(window.innerHeight - status - Math.max(0, f.top) - below - 12)));
    };
    const timers = [setTimeout(fit, 50), setTimeout(fit, 400)];
    window.addEventListener('resize', fit);
    return () => {
      timers.forEach(clearTimeout);
      window.removeEventListener('resize', fit);
    };
  }, [hasFrame]);

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

  useEffect(() => {
    if (!live) return;
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
  }, [serial, live]);

  const send = async (action: InputAction): Promise<void> => {
    if (await callOrToast('device.input', { serial, action })) {
      if (treeTimer.current) clearTimeout(treeTimer.current);
      treeTimer.current = setTimeout(() => void refreshTree(), 400);
    }
  };

  const toDevice = (clientX: number, clientY: number): { x: number; y: number } | null => {
    const el = img.current;
    if (!el || !frame) return null;
    const r = el.getBoundingClientRect();
    return mapToDevice({ x: clientX - r.left, y: clientY - r.top }, { width: r.width, height: r.height }, { width: frame.width, height: frame.height });
  };

  const scale = img.current && frame ? img.current.clientWidth / frame.width : 0;

  return (
    <div className="screen-tab">
      <div className="screen-col" ref={col}>
        <div className="toolbar">
          <button onClick={() => setLive((v) => !v)} aria-pressed={live} data-testid="live-toggle">{live ? t('device.screen.pause') : t('device.screen.resume')}</button>
          <button data-testid="save-screenshot" onClick={() => void callOrToast('device.screenshot', { serial, save: true }).then((s) => s?.savedPath && pushToast({ error: null, message: t('device.screen.saved', { path: s.savedPath }) }))}>{t('device.screen.save')}</button>
          {live && stats && <span className="muted" data-testid="fps">{t('device.screen.fps', stats)}</span>}
          {!live && <span className="muted" data-testid="screen-paused">{t('device.screen.paused')}</span>}
          {phoneLost && <strong className="bad" role="status" data-testid="screen-phone-lost">{t('device.screen.phoneLost')}</strong>}
          {!phoneLost && treeInfo && <span className="muted" role="status" data-testid="screen-info">{treeInfo}</span>}
        </div>
        <div className="screen-frame" ref={frameBox}>
          {frame ? (
            <>
              <img
                ref={img}
                src={frame.url}
                alt={serial}
                draggable={false}
                data-testid="live-screen"
                className={phoneLost ? 'stale' : undefined}
                title={phoneLost ? t('device.screen.lastFrame') : undefined}
                style={maxHeight ? { maxHeight } : undefined}
                data-width={frame.width}
                data-height={frame.height}
                onPointerDown={(e) => {
                  drag.current = { x: e.clientX, y: e.clientY, at: performance.now() };
                }}
                onPointerUp={(e) => {
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
                }}
              />
              {highlight && scale > 0 && (
                <div className="node-outline" data-testid="node-outline" style={{
                  left: highlight.bounds[0] * scale, top: highlight.bounds[1] * scale,
                  width: (highlight.bounds[2] - highlight.bounds[0]) * scale, height: (highlight.bounds[3] - highlight.bounds[1]) * scale,
                }} />
              )}
            </>
          ) : (
            <p className="muted">{t(phoneLost ? 'device.screen.phoneLost' : shotFailed ? 'device.screen.noScreen' : 'device.screen.loading')}</p>
          )}
        </div>
        <p className="muted">{t('device.screen.hint')}</p>
        <div className="row keys">
          {KEYS.map((k) => <button key={k} onClick={() => void send({ kind: 'key', key: k })} data-testid={`key-${k}`}>{t(`device.screen.keys.${k}`)}</button>)}
        </div>
        <form className="row" onSubmit={(e) => {
          e.preventDefault();
          if (text) void send({ kind: 'text', text }).then(() => setText(''));
        }}>
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('device.screen.text')} aria-label={t('device.screen.text')} />
          <button type="submit" disabled={!text}>{t('device.screen.send')}</button>
        </form>
      </div>
      <UiTreeView tree={tree} onRefresh={() => void refreshTree()} onHover={setHighlight} />
    </div>
  );
}

/** The phone is not connected: the call failed and the adb server no longer lists it online (AdbService.onDevice). */
function isPhoneGone(code: string): boolean {
  return code === 'adb.device-lost';
}
