/**
 * Reads what the screen stream needs from `dumpsys window windows`: whether the focused window is secure
 * (FLAG_SECURE: screenrecord records it black) and the display's rotation; and from `wm size`, the display's
 * size. Pure functions over device text (bounded by the caller's read): a line that does not match is ignored.
 */

export interface WindowState {
  /** `Window{hash uN title}` of the focused window, or null (no focus, or not printed). */
  focus: string | null;
  /** The focused window's `fl=` holds SECURE. */
  secure: boolean;
  /** 0, 90, 180 or 270; null when the dump does not say. */
  rotation: number | null;
}

/** `mCurrentFocus=Window{8db6bd6 u0 pkg/Activity}` (the last one printed: per display on newer releases, the focused display's last). */
const FOCUS = /^\s*mCurrentFocus=(Window\{[^}\n]*\})\s*$/gm;
const ROTATION = /\bmRotation=ROTATION_(0|90|180|270)\b|\bmCurrentRotation=(?:ROTATION_)?(0|90|180|270|1|2|3)\b/;

export function readWindowState(dump: string): WindowState {
  let focus: string | null = null;
  for (const m of dump.matchAll(FOCUS)) focus = m[1] ?? null;
  const r = ROTATION.exec(dump);
  const raw = r ? Number(r[1] ?? r[2]) : null;
  const rotation = raw === null ? null : raw < 4 ? raw * 90 : raw;
  return { focus, secure: focus !== null && windowIsSecure(dump, focus), rotation };
}

/** The focused window's own section (`  Window #N Window{...}:` up to the next window), its `fl=` line(s). */
function windowIsSecure(dump: string, focus: string): boolean {
  const header = dump.indexOf(`${focus}:`);
  if (header < 0) return false;
  const rest = dump.slice(header + focus.length + 1);
  const next = rest.search(/^\s*Window #\d+ /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  for (const m of section.matchAll(/(?:^|\s)fl=([^\n]*)/g)) {
    // Older releases print fl=#81810100 (hex); FLAG_SECURE is 0x2000.
    const flags = m[1] ?? '';
    const hex = /^#([0-9a-fA-F]+)/.exec(flags);
    if (hex && (parseInt(hex[1]!, 16) & 0x2000) !== 0) return true;
    if (flags.split(/\s+/).includes('SECURE')) return true;
  }
  return false;
}

/** `wm size`: the override size when set (what the display shows), else the physical one. */
export function readDisplaySize(text: string): { width: number; height: number } | null {
  const physical = /Physical size:\s*(\d{2,5})x(\d{2,5})/.exec(text);
  const override = /Override size:\s*(\d{2,5})x(\d{2,5})/.exec(text);
  const m = override ?? physical;
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/**
 * The size screenrecord is asked for: the display's, turned with its rotation, scaled so the longest side is at
 * most `maxSize`; both sides multiples of 16 where that keeps the aspect within 1%, else even.
 */
export function videoSize(display: { width: number; height: number }, rotation: number | null, maxSize: number | null): { width: number; height: number } {
  const turned = rotation === 90 || rotation === 270;
  const w0 = turned ? display.height : display.width;
  const h0 = turned ? display.width : display.height;
  const scale = maxSize ? Math.min(1, maxSize / Math.max(w0, h0)) : 1;
  const w = w0 * scale;
  const h = h0 * scale;
  const w16 = Math.floor(w / 16) * 16;
  const h16 = Math.floor(h / 16) * 16;
  if (w16 >= 16 && h16 >= 16 && Math.abs(w16 / h16 - w0 / h0) / (w0 / h0) < 0.01) return { width: w16, height: h16 };
  return { width: Math.max(2, Math.floor(w / 2) * 2), height: Math.max(2, Math.floor(h / 2) * 2) };
}
