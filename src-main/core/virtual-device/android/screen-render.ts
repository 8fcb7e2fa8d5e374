/**
 * Renders a screen to the PNG that `screencap -p` returns: flat shapes and text drawn from glyph outlines
 * of the bundled Noto Sans SC (so Chinese is legible) with 4x4 anti-aliasing. Pure JS, no native canvas.
 * The font (8 MB) is parsed once, on the first screenshot. The same raster feeds screenrecord's frames (rasterScreen),
 * so a screenshot and the video frame of the same moment show the same picture. A scrolling document is drawn from
 * its tall page, rendered once in tiles and cropped per frame, so a scroll animation costs a copy, not a text render.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { ScreenContent, UiNode } from './ui-tree.js';
import { layoutFull, paragraphsOf } from './document-layout.js';

interface PathCommand { type: string; x?: number; y?: number; x1?: number; y1?: number; x2?: number; y2?: number }
interface Font {
  getPath(text: string, x: number, y: number, size: number): { commands: PathCommand[] };
  getAdvanceWidth(text: string, size: number): number;
}

let font: Font | undefined;
function loadFont(): Font {
  if (!font) {
    const require = createRequire(import.meta.url);
    const opentype = require('opentype.js') as { parse(buf: ArrayBuffer): Font };
    // The package's "exports" hide its font files: its entry (dist/index.cjs) sits beside fonts/.
    const file = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
    const bytes = readFileSync(file);
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  return font;
}

type Rgb = [number, number, number];

function parseColor(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  const n = m ? parseInt(m[1]!, 16) : 0xffffff;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export class Raster {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, bg: Rgb) {
    this.pixels = new Uint8Array(width * height * 3);
    // One pixel, then doubling copies: a full-screen fill in a few ms rather than a million set() calls.
    if (this.pixels.length) {
      this.pixels.set(bg, 0);
      for (let n = 3; n < this.pixels.length; n *= 2) this.pixels.copyWithin(n, 0, Math.min(n, this.pixels.length - n));
    }
  }

  static copyOf(other: Raster): Raster {
    const r = new Raster(0, 0, [0, 0, 0]) as { -readonly [K in keyof Raster]: Raster[K] };
    r.width = other.width;
    r.height = other.height;
    r.pixels = other.pixels.slice();
    return r as Raster;
  }

  fillRect(x1: number, y1: number, x2: number, y2: number, c: Rgb): void {
    const xa = Math.max(0, Math.round(x1)), xb = Math.min(this.width, Math.round(x2));
    const ya = Math.max(0, Math.round(y1)), yb = Math.min(this.height, Math.round(y2));
    for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) this.pixels.set(c, (y * this.width + x) * 3);
  }

  strokeRect(x1: number, y1: number, x2: number, y2: number, w: number, c: Rgb): void {
    this.fillRect(x1, y1, x2, y1 + w, c);
    this.fillRect(x1, y2 - w, x2, y2, c);
    this.fillRect(x1, y1, x1 + w, y2, c);
    this.fillRect(x2 - w, y1, x2, y2, c);
  }

  /** Draws one line of text with its baseline at y, clipped to maxWidth (ellipsis-free: text is cut). */
  text(s: string, x: number, y: number, size: number, c: Rgb, maxWidth = Infinity): number {
    if (!s) return 0;
    const f = loadFont();
    const width = Math.min(f.getAdvanceWidth(s, size), maxWidth);
    const SS = 4;
    const bx = Math.floor(x), by = Math.floor(y - size * 1.1);
    const bw = Math.ceil(width) + 2, bh = Math.ceil(size * 1.5);
    const mask = new Uint8Array(bw * SS * bh * SS);
    const edges: Array<[number, number, number, number]> = [];
    let cx = 0, cy = 0, sx = 0, sy = 0;
    const toMask = (px: number, py: number): [number, number] => [(px - bx) * SS, (py - by) * SS];
    const line = (ax: number, ay: number, bx2: number, by2: number): void => {
      edges.push([...toMask(ax, ay), ...toMask(bx2, by2)]);
    };
    for (const cmd of f.getPath(s, x, y, size).commands) {
      if (cmd.type === 'M') {
        // CFF outlines may start a new contour without closing the last one: close it implicitly.
        if (cx !== sx || cy !== sy) line(cx, cy, sx, sy);
        cx = sx = cmd.x!; cy = sy = cmd.y!;
      }
      else if (cmd.type === 'L') { line(cx, cy, cmd.x!, cmd.y!); cx = cmd.x!; cy = cmd.y!; }
      else if (cmd.type === 'Q' || cmd.type === 'C') {
        const steps = 8;
        for (let i = 1; i <= steps; i++) {
          const t = i / steps, u = 1 - t;
          let px: number, py: number;
          if (cmd.type === 'Q') {
            px = u * u * cx + 2 * u * t * cmd.x1! + t * t * cmd.x!;
            py = u * u * cy + 2 * u * t * cmd.y1! + t * t * cmd.y!;
          } else {
            px = u * u * u * cx + 3 * u * u * t * cmd.x1! + 3 * u * t * t * cmd.x2! + t * t * t * cmd.x!;
            py = u * u * u * cy + 3 * u * u * t * cmd.y1! + 3 * u * t * t * cmd.y2! + t * t * t * cmd.y!;
          }
          line(cx, cy, px, py);
          cx = px; cy = py;
        }
      } else if (cmd.type === 'Z') { line(cx, cy, sx, sy); cx = sx; cy = sy; }
    }
    if (cx !== sx || cy !== sy) line(cx, cy, sx, sy);
    const mw = bw * SS, mh = bh * SS;
    // Each edge listed under the rows it can cross (a row more either side; the test below stays exact): a line
    // of text has thousands of edges, and scanning all of them for every row was most of a screenshot's time.
    const byRow: Array<Array<[number, number, number, number]>> = Array.from({ length: mh }, () => []);
    for (const e of edges) {
      if (e[1] === e[3]) continue;
      const from = Math.max(0, Math.floor(Math.min(e[1], e[3])) - 1), to = Math.min(mh - 1, Math.ceil(Math.max(e[1], e[3])) + 1);
      for (let my = from; my <= to; my++) byRow[my]!.push(e);
    }
    const xs: Array<[number, number]> = [];
    for (let my = 0; my < mh; my++) {
      const yc = my + 0.5;
      xs.length = 0;
      for (const [x0, y0, x1, y1] of byRow[my]!) {
        if (y0 === y1 || yc < Math.min(y0, y1) || yc >= Math.max(y0, y1)) continue;
        xs.push([x0 + ((yc - y0) / (y1 - y0)) * (x1 - x0), y1 > y0 ? 1 : -1]);
      }
      xs.sort((a, b) => a[0] - b[0]);
      let wind = 0;
      for (let i = 0; i < xs.length - 1; i++) {
        wind += xs[i]![1];
        if (wind === 0) continue;
        const from = Math.max(0, Math.round(xs[i]![0])), to = Math.min(mw, Math.round(xs[i + 1]![0]));
        mask.fill(1, my * mw + from, my * mw + Math.max(from, to));
      }
    }
    for (let py = 0; py < bh; py++) {
      const Y = by + py;
      if (Y < 0 || Y >= this.height) continue;
      for (let px = 0; px < bw; px++) {
        const X = bx + px;
        if (X < 0 || X >= this.width || px > width + 1) continue;
        let cover = 0;
        for (let j = 0; j < SS; j++) for (let i = 0; i < SS; i++) cover += mask[(py * SS + j) * mw + px * SS + i]!;
        if (!cover) continue;
        const a = cover / (SS * SS), o = (Y * this.width + X) * 3;
        for (let k = 0; k < 3; k++) this.pixels[o + k] = Math.round(this.pixels[o + k]! * (1 - a) + c[k]! * a);
      }
    }
    return width;
  }

  png(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0;
      Buffer.from(this.pixels.buffer, y * this.width * 3, this.width * 3).copy(raw, y * (this.width * 3 + 1) + 1);
    }
    const chunk = (type: string, data: Buffer): Buffer => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.width, 0);
    ihdr.writeUInt32BE(this.height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw, { level: 6 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

const STYLE: Record<UiNode['style'], { bg?: string; fg: string; size: number; border?: string }> = {
  title: { fg: '#1b1b1f', size: 56 },
  text: { fg: '#303034', size: 40 },
  button: { bg: '#e7e0ec', fg: '#1d192b', size: 42 },
  primary: { bg: '#6750a4', fg: '#ffffff', size: 42 },
  checkbox: { fg: '#303034', size: 38 },
  switch: { fg: '#303034', size: 38 },
  link: { fg: '#1a5fb4', size: 40 },
  dialog: { bg: '#f3edf7', fg: '#1b1b1f', size: 44, border: '#cac4d0' },
  panel: { bg: '#fffbfe', fg: '#1b1b1f', size: 40 },
  icon: { bg: '#d0bcff', fg: '#21005d', size: 34 },
  document: { bg: '#ffffff', fg: '#303034', size: 40, border: '#e0e0e0' },
};

function drawNode(r: Raster, n: UiNode): void {
  const [x1, y1, x2, y2] = n.bounds;
  const s = STYLE[n.style];
  if (s.bg) r.fillRect(x1, y1, x2, y2, parseColor(s.bg));
  if (s.border) r.strokeRect(x1, y1, x2, y2, 3, parseColor(s.border));
  const pad = 24;
  let tx = x1 + pad;
  if (n.style === 'checkbox') {
    const box = 48, top = Math.round((y1 + y2 - box) / 2);
    r.strokeRect(x1 + pad, top, x1 + pad + box, top + box, 5, parseColor('#6750a4'));
    if (n.checked) r.fillRect(x1 + pad + 12, top + 12, x1 + pad + box - 12, top + box - 12, parseColor('#6750a4'));
    tx += box + 24;
  } else if (n.style === 'switch') {
    // A Material switch: a track, its thumb at the right and the track filled when on.
    const w = 96, h = 48, top = Math.round((y1 + y2 - h) / 2), left = x1 + pad;
    r.fillRect(left, top, left + w, top + h, parseColor(n.checked ? '#6750a4' : '#e7e0ec'));
    r.strokeRect(left, top, left + w, top + h, 3, parseColor(n.checked ? '#6750a4' : '#79747e'));
    const knob = n.checked ? left + w - 44 : left + 4;
    r.fillRect(knob, top + 4, knob + 40, top + h - 4, parseColor(n.checked ? '#ffffff' : '#79747e'));
    tx += w + 24;
  }
  if (n.text) {
    const lines = n.wrapped ?? n.text.split('\n');
    const lineHeight = s.size * 1.35;
    let baseline = Math.round((y1 + y2) / 2 - ((lines.length - 1) * lineHeight) / 2 + s.size * 0.35);
    for (const line of lines) {
      const centered = n.style === 'button' || n.style === 'primary' || n.style === 'icon';
      const w = centered ? loadFont().getAdvanceWidth(line, s.size) : 0;
      const lx = centered ? Math.max(x1 + 8, (x1 + x2 - w) / 2) : tx;
      r.text(line, lx, baseline, s.size, parseColor(s.fg), x2 - lx - 8);
      baseline += lineHeight;
    }
  }
  if (n.document) drawDocument(r, n, n.document);
  else for (const child of n.children) drawNode(r, child);
}

/** Rows of a document's tall page are rendered in tiles of this height, a few kept (a policy can be 30 000 px tall). */
const TILE = 512;
const MAX_TILES = 24;
const tiles = new Map<string, Raster>();
const layouts = new Map<string, ReturnType<typeof layoutFull>>();

function pageLayout(text: string, width: number): ReturnType<typeof layoutFull> {
  const key = `${width}\u0000${text}`;
  let l = layouts.get(key);
  if (!l) {
    if (layouts.size >= 8) layouts.delete(layouts.keys().next().value!);
    l = layoutFull(paragraphsOf(text), width);
    layouts.set(key, l);
  }
  return l;
}

function pageTile(text: string, width: number, index: number): Raster {
  const key = `${width}\u0000${index}\u0000${text}`;
  const hit = tiles.get(key);
  if (hit) {
    tiles.delete(key);
    tiles.set(key, hit);
    return hit;
  }
  const layout = pageLayout(text, width);
  const tile = new Raster(width, TILE, parseColor(STYLE.document.bg!));
  const top = index * TILE;
  for (const p of layout.paragraphs) {
    if (p.bottom < top - 80 || p.top > top + TILE + 80) continue;
    drawNode(tile, { key: '', text: p.wrapped.join(''), wrapped: p.wrapped, resourceId: '', className: '', packageName: '', contentDesc: '', bounds: [24, p.top - top, width - 24, p.bottom - top], clickable: false, checkable: false, checked: false, enabled: true, style: 'text', children: [] });
  }
  if (tiles.size >= MAX_TILES) tiles.delete(tiles.keys().next().value!);
  tiles.set(key, tile);
  return tile;
}

/** Copies the visible part of the document's tall page inside its border (one tile lookup per tile, not per row). */
function drawDocument(r: Raster, n: UiNode, doc: { text: string; offsetPx: number }): void {
  const [x1, y1, x2, y2] = n.bounds.map(Math.round) as [number, number, number, number];
  const width = x2 - x1, border = 3;
  const fromX = Math.max(x1 + border, 0), toX = Math.min(x2 - border, r.width);
  if (toX <= fromX) return;
  const rowBytes = (toX - fromX) * 3, offset = Math.round(doc.offsetPx);
  let tile: Raster | null = null, tileIndex = -1;
  for (let y = Math.max(y1 + border, 0); y < Math.min(y2 - border, r.height); y++) {
    const pageY = y - y1 + offset;
    if (pageY < 0) continue;
    const index = Math.floor(pageY / TILE);
    if (index !== tileIndex) {
      tile = pageTile(doc.text, width, index);
      tileIndex = index;
    }
    const src = ((pageY % TILE) * width + (fromX - x1)) * 3;
    r.pixels.set(tile!.pixels.subarray(src, src + rowBytes), (y * r.width + fromX) * 3);
  }
}

/** The last picture, reused while nothing on screen changed (a phone redraws only what changes, too). */
let last: { key: string; raster: Raster; png: Buffer | null; still: string | null } | null = null;

/** What identifies a picture: equal keys, equal pixels. */
export function screenKey(screen: ScreenContent | null, width: number, height: number, statusText: string): string {
  return JSON.stringify([screen, width, height, statusText]);
}

/** The screen as RGB pixels (the composition SurfaceFlinger hands to screencap and to screenrecord's virtual display). */
export function rasterScreen(screen: ScreenContent | null, width: number, height: number, statusText: string, key = screenKey(screen, width, height, statusText)): Raster {
  if (last?.key === key) return last.raster;
  const still = stillKey(screen, width, height, statusText);
  let raster: Raster;
  if (last && still.key !== null && still.key === last.still && still.doc) {
    // Only the document scrolled (nothing is drawn over it): the last picture with the page copied in again.
    raster = Raster.copyOf(last.raster);
    drawDocument(raster, still.doc, still.doc.document!);
  } else raster = draw(screen, width, height, statusText);
  last = { key, raster, png: null, still: still.key };
  return raster;
}

/** The screen's key with its document's scroll offset left out, when a document is the last thing drawn where it is. */
function stillKey(screen: ScreenContent | null, width: number, height: number, statusText: string): { key: string | null; doc: UiNode | null } {
  const i = screen && !screen.secure ? screen.nodes.findIndex((n) => n.document) : -1;
  if (!screen || i < 0) return { key: null, doc: null };
  const doc = screen.nodes[i]!;
  const [x1, y1, x2, y2] = doc.bounds;
  const covered = screen.nodes.slice(i + 1).some((n) => n.bounds[0] < x2 && n.bounds[2] > x1 && n.bounds[1] < y2 && n.bounds[3] > y1);
  if (covered) return { key: null, doc: null };
  const offset = doc.document!.offsetPx;
  doc.document!.offsetPx = 0;
  const key = screenKey(screen, width, height, statusText);
  doc.document!.offsetPx = offset;
  return { key, doc };
}

/** Renders the tiles of a document's page between two offsets ahead of a scroll, so its frames cost copies only. */
export function warmDocument(text: string, width: number, fromPx: number, toPx: number, viewHeight: number): void {
  const first = Math.floor(Math.max(0, Math.min(fromPx, toPx)) / TILE), lastTile = Math.floor((Math.max(fromPx, toPx) + viewHeight) / TILE);
  for (let t = first; t <= Math.min(lastTile, first + MAX_TILES - 1); t++) pageTile(text, width, t);
}

export function renderScreen(screen: ScreenContent | null, width: number, height: number, statusText: string): Buffer {
  const key = screenKey(screen, width, height, statusText);
  const raster = rasterScreen(screen, width, height, statusText, key);
  if (last?.key === key && last.png) return last.png;
  const png = raster.png();
  if (last?.key === key) last.png = png;
  return png;
}

/** Below the status bar: where the app's window is (a secure window's layer is composed black there). */
export const STATUS_BAR_HEIGHT = 96;

function draw(screen: ScreenContent | null, width: number, height: number, statusText: string): Raster {
  if (!screen) return new Raster(width, height, [0, 0, 0]);
  const r = new Raster(width, height, screen.secure ? [0, 0, 0] : parseColor(screen.background));
  r.fillRect(0, 0, width, STATUS_BAR_HEIGHT, parseColor('#e6e0e9'));
  r.text(statusText, 40, 66, 36, parseColor('#1d1b20'));
  if (!screen.secure) for (const n of screen.nodes) drawNode(r, n);
  return r;
}
