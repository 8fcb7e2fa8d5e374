/**
 * How big the live screen is drawn: fitted to the height it is given (the phone's aspect kept, never wider
 * than a share of the window), times the tester's zoom. The zoom and whether the UI tree is shown are kept per
 * place (Devices panel, guided workspace, detached window), so each place looks the same on every visit.
 */
import { screenRoute } from '../../../src-preload/screen-route';

export type ScreenVariant = 'panel' | 'docked' | 'window';

/** Zoom steps, as multiples of the fitted size (1 = the whole phone in view). */
export const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

export function clampZoom(z: unknown): number {
  const n = typeof z === 'number' && Number.isFinite(z) ? z : 1;
  return Math.min(ZOOM_STEPS[ZOOM_STEPS.length - 1]!, Math.max(ZOOM_STEPS[0]!, n));
}

/** The room's height minus the frame's border, capped so a wide (landscape or tablet) screen leaves room beside it. */
export function fitSize(phone: { width: number; height: number }, room: { width: number; height: number }, variant: ScreenVariant): { width: number; height: number } {
  const maxWidth = variant === 'window' ? room.width - 140 : room.width * 0.4;
  let height = Math.max(120, room.height - 2);
  let width = (height * phone.width) / phone.height;
  if (width > maxWidth) {
    width = Math.max(80, maxWidth);
    height = (width * phone.height) / phone.width;
  }
  return { width: Math.floor(width), height: Math.floor(height) };
}

export interface ScreenPrefs {
  zoom: number;
  tree: boolean;
}

const key = (variant: ScreenVariant): string => `apprights.screen.${variant}`;

export function readScreenPrefs(variant: ScreenVariant): ScreenPrefs {
  const fallback = { zoom: 1, tree: variant === 'panel' };
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(key(variant)) ?? 'null');
    if (!raw || typeof raw !== 'object') return fallback;
    const r = raw as Record<string, unknown>;
    return { zoom: clampZoom(r.zoom), tree: variant === 'panel' ? true : r.tree === true };
  } catch {
    return fallback;
  }
}

export function saveScreenPrefs(variant: ScreenVariant, prefs: ScreenPrefs): void {
  localStorage.setItem(key(variant), JSON.stringify(prefs));
}

/** The detached window's address: this page with the screen route instead of the page's hash. */
export function screenWindowUrl(href: string, serial: string): string {
  const u = new URL(href);
  u.hash = '';
  u.search = '';
  return `${u.toString().replace(/#$/, '')}${screenRoute(serial)}`;
}
