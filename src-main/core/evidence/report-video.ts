/**
 * report.html's screen recording: a <video> that plays the package's video/seg-*.mp4 one after another (each
 * segment is a whole fragmented MP4, so a file: page plays it with no fetch, no MSE and nothing of ours), the
 * segment and second it is at, the list of segments with their SHA-256 (what the PDF keeps, the player is hidden
 * in print), the holes in the video (screen.gap, with their reasons in both languages), and "play from here"
 * links for timeline events and findings that seek to a few seconds before the moment. The one script of the
 * report lives here; the page's CSP allows it by its SHA-256, and media from the page's origin or local files
 * only ('self' and file: — a browser that gives each local file its own origin would refuse 'self').
 */
import { createHash } from 'node:crypto';
import { SCREEN_GAP } from '../../../src-preload/event-description.js';
import type { ScreenGapEvent, VideoSegment } from './video-segments.js';

/** Seconds of video shown before the moment a link points at. */
export const LEAD_SECONDS = 3;

export interface ReportVideo {
  /** Every segment the timeline names, in recording order. */
  segments: VideoSegment[];
  gaps: Array<{ seq: number; event: ScreenGapEvent }>;
  /** The export carried the video (false: the user chose a package without it). */
  included: boolean;
  /** Whether a file is in the package (a segment missing from the session folder is not). */
  inPackage: (path: string) => boolean;
}

type Esc = (v: unknown) => string;
const en = (html: string): string => `<span class="en" lang="en">${html}</span>`;

/**
 * Plays the segments in order: `pending` is what the next loaded segment must seek to, so a second click before
 * the first segment loaded wins. Written for any browser since 2017, no modules, no network.
 */
const PLAYER_SCRIPT = `(function () {
  var v = document.getElementById('report-video');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#video-segments tr[data-src]'));
  if (!v || !rows.length) return;
  var at = -1, pending = null;
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function set(cls, text) {
    var els = document.querySelectorAll('#video-now .' + cls);
    for (var i = 0; i < els.length; i++) els[i].textContent = text;
  }
  function show() {
    var r = rows[at];
    if (!r) return;
    var t = Math.floor(v.currentTime || 0);
    var clock = two(Math.floor(t / 60)) + ':' + two(t % 60);
    set('vn-seg', (at + 1) + '/' + rows.length);
    set('vn-file', r.getAttribute('data-src'));
    set('vn-time', clock);
    set('vn-host', r.getAttribute('data-start'));
    for (var i = 0; i < rows.length; i++) rows[i].className = i === at ? 'playing' : '';
  }
  function load(i, t, play) {
    if (i < 0 || i >= rows.length) return;
    pending = { t: t, play: play };
    if (at !== i) {
      at = i;
      v.src = rows[i].getAttribute('data-src');
      v.load();
    } else if (v.readyState >= 1) apply();
    show();
  }
  function apply() {
    var p = pending;
    pending = null;
    if (!p) return;
    var end = isFinite(v.duration) ? v.duration : p.t;
    v.currentTime = Math.max(0, Math.min(p.t, end));
    if (p.play) { var r = v.play(); if (r && r.catch) r.catch(function () {}); }
    show();
  }
  v.addEventListener('loadedmetadata', apply);
  v.addEventListener('timeupdate', show);
  v.addEventListener('ended', function () { if (at + 1 < rows.length) load(at + 1, 0, true); });
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[data-seg]') : null;
    if (!a) return;
    ev.preventDefault();
    load(Number(a.getAttribute('data-seg')), Number(a.getAttribute('data-t')), true);
    v.scrollIntoView({ block: 'center' });
  });
  load(0, 0, false);
})();`;

/** The CSP source that allows the player script, and nothing else inline. */
export const PLAYER_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(PLAYER_SCRIPT).digest('base64')}'`;

/** Where in the video a moment is: the segment (index among the playable ones) and the second to start from. */
export interface VideoSpot { segment: number; time: number }

/** The recording as the report plays it: the segments in the package, and where each moment falls in them. */
export class ReportPlayer {
  /** The segments the player plays (in the package), in order of their first frame. */
  readonly playable: VideoSegment[];

  constructor(readonly video: ReportVideo | undefined) {
    this.playable = video?.included ? video.segments.filter((s) => video.inPackage(s.event.file)).sort((a, b) => a.event.firstFrameHostTime - b.event.firstFrameHostTime) : [];
  }

  get plays(): boolean {
    return this.playable.length > 0;
  }

  /** The segment whose first..last frame holds the host time, and LEAD_SECONDS before it (not before the segment's start). */
  spot(hostTime: number): VideoSpot | null {
    if (!Number.isFinite(hostTime)) return null;
    let lo = 0;
    let hi = this.playable.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.playable[mid]!.event.firstFrameHostTime <= hostTime) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const s = this.playable[found];
    if (!s || hostTime > s.event.lastFrameHostTime) return null;
    return { segment: found, time: Math.max(0, Math.round(((hostTime - s.event.firstFrameHostTime) / 1000 - LEAD_SECONDS) * 1000) / 1000) };
  }

  /** A "play from here" link for a moment, or '' when no video holds it. */
  link(hostTime: number): string {
    const at = this.spot(hostTime);
    if (!at) return '';
    return `<a class="play" href="#video" data-seg="${at.segment}" data-t="${at.time}">▶ 从此处播放<br>${en('play from here')}</a>`;
  }

  /** For a finding: a link to its first moment with video, or a note that there is no video then. */
  findingLink(hostTimes: number[]): string {
    if (!this.plays) return '';
    for (const t of hostTimes) {
      const link = this.link(t);
      if (link) return `<br>${link}`;
    }
    return hostTimes.length ? `<br><small class="muted">此刻无录屏 / ${en('no video at this moment')}</small>` : '';
  }
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(1);
}

function size(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The video section: player (screen only), segments with their hashes, gaps with their reasons. */
export function videoSection(p: ReportPlayer, e: Esc, hostTime: (ms: number) => string): string {
  const v = p.video;
  const heading = `<h2 id="video">屏幕录像 / ${en('Screen recording')}</h2>`;
  if (!v || (!v.segments.length && !v.gaps.length)) return `<section id="video-section">${heading}\n<p>本会话没有屏幕录像。<br>${en('This session has no screen recording.')}</p></section>`;
  const index = new Map(p.playable.map((s, i) => [s, i]));
  const rows = v.segments.map((s) => {
    const x = s.event;
    const i = index.get(s);
    const inside = i !== undefined;
    const partial = x.partial ? `<br><small class="warn">不完整（崩溃后恢复）<br>${en('partial (recovered after a crash)')}</small>` : '';
    const where = inside ? `<a href="${e(x.file)}"><code>${e(x.file)}</code></a>` : `<code>${e(x.file)}</code><br><small class="muted">不在本包中 / ${en('not in this package')}</small>`;
    const play = inside ? `<a class="play" href="#video" data-seg="${i}" data-t="0">▶ 播放<br>${en('play')}</a>` : '';
    const attrs = inside ? ` data-src="${e(x.file)}" data-start="${e(hostTime(x.firstFrameHostTime))}"` : '';
    return `<tr${attrs}><td>${e(x.index)}</td><td>${where}${partial}</td><td>${e(hostTime(x.firstFrameHostTime))}<br>${e(hostTime(x.lastFrameHostTime))}</td><td>${seconds(x.lastFrameHostTime - x.firstFrameHostTime)} 秒 / ${en(`${seconds(x.lastFrameHostTime - x.firstFrameHostTime)} s`)}<br><code>${e(x.width)}×${e(x.height)}</code></td><td>${e(x.size)}<br><small>${size(x.size)}</small></td><td><code>${e(x.sha256)}</code></td><td class="noprint">${play}</td></tr>`;
  }).join('\n');
  const gaps = v.gaps.map(({ seq, event: g }) => {
    const reason = Object.hasOwn(SCREEN_GAP, g.reason) ? SCREEN_GAP[g.reason] : null;
    const why = reason ? `${e(reason[0])}<br>${en(e(reason[1]))}` : `<code>${e(g.reason)}</code>`;
    const long = g.to === null ? `未见结束 / ${en('not seen to end')}` : `${seconds(g.to - g.from)} 秒 / ${en(`${seconds(g.to - g.from)} s`)}`;
    return `<tr><td>${seq}</td><td>${e(hostTime(g.from))}</td><td>${long}</td><td>${why}${g.detail ? `<br><small class="quote" lang="">${e(g.detail)}</small>` : ''}</td></tr>`;
  }).join('\n');
  const totalMs = v.segments.reduce((n, s) => n + s.event.lastFrameHostTime - s.event.firstFrameHostTime, 0);
  const bytes = v.segments.reduce((n, s) => n + s.event.size, 0);
  const first = p.playable[0]?.event;
  const spans = first ? { seg: `<span class="vn-seg">1/${p.playable.length}</span>`, file: `<code class="vn-file">${e(first.file)}</code>`, host: `<span class="vn-host">${e(hostTime(first.firstFrameHostTime))}</span>`, time: '<span class="vn-time">00:00</span>' } : null;
  const now = spans ? { zh: `分段 ${spans.seg}（${spans.file}，开始于 ${spans.host}），第 ${spans.time}`, en: `Segment ${spans.seg} (${spans.file}, from ${spans.host}), at ${spans.time}` } : { zh: '', en: '' };
  const intro = !v.included
    ? `<p class="warn">本包不含录屏：导出时选择了不含录屏。下列分段仍由时间线按 SHA-256 记录，可与原始录屏文件核对。<br>${en('This package carries no screen recording: it was exported without video. The timeline still names each segment by its SHA-256, to check the original files against.')}</p>`
    : p.plays
      ? `<div class="player noprint"><video id="report-video" controls muted playsinline preload="metadata"></video>
<p id="video-now">${now.zh}<br>${en(now.en)}</p>
<p><small>各分段依次播放；时间线与检测结论中的“从此处播放”跳到该时刻前 ${LEAD_SECONDS} 秒。视频无法播放时，可直接打开下表中的文件。<br>${en(`Segments play one after another; “play from here” in the timeline and the findings seeks to ${LEAD_SECONDS} s before that moment. If the video does not play here, open the files in the table below.`)}</small></p></div>`
      : `<p class="warn">录屏分段均不在本包中（见下表）。<br>${en('None of the recording\'s segments is in this package (see the table below).')}</p>`;
  return `<section id="video-section">${heading}
${intro}
<p>${v.segments.length} 个分段，共 ${seconds(totalMs)} 秒，${bytes} 字节。<br>${en(`${v.segments.length} segment${v.segments.length === 1 ? '' : 's'}, ${seconds(totalMs)} s, ${bytes} bytes.`)}</p>
<table id="video-segments">
<tr><th style="width:3em">#</th><th style="width:14em">文件 / ${en('File')}</th><th style="width:13em">首帧与末帧（主机时间）<br>${en('First and last frame (host time)')}</th><th style="width:8em">时长 / ${en('Length')}</th><th style="width:7em">字节 / ${en('Bytes')}</th><th>SHA-256</th><th class="noprint" style="width:6em"></th></tr>
${rows}
</table>
${gaps ? `<h3>录屏中断 / ${en('Gaps in the recording')}</h3>
<p class="warn">下列时段没有录屏。<br>${en('The video has no picture for these spans.')}</p>
<table>
<tr><th style="width:4em">#</th><th style="width:13em">开始（主机时间）<br>${en('From (host time)')}</th><th style="width:9em">时长 / ${en('Length')}</th><th>原因 / ${en('Reason')}</th></tr>
${gaps}
</table>` : ''}
</section>`;
}

/** The player's script and the CSS it needs (player hidden in print, the segment list kept). */
export function playerAssets(p: ReportPlayer): { script: string; css: string } {
  const css = 'video#report-video{width:100%;max-width:420px;max-height:70vh;background:#000;display:block}#video-segments tr.playing td{background:#eef5ff}a.play{white-space:nowrap;font-size:.85em}@media print{.noprint,a.play{display:none}#video-segments tr.playing td{background:none}}';
  return { script: p.plays ? `<script>${PLAYER_SCRIPT}</script>` : '', css };
}
