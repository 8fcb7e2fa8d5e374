/**
 * From a point on the screenshot as shown (scaled to fit the panel) to device coordinates for `input tap`.
 * `rotation` is how far, in quarter turns clockwise, the screenshot is rotated relative to the input
 * coordinate space (0 when screencap and input agree, as on most phones; 1-3 on devices whose screencap
 * stays in natural orientation while the display is rotated).
 */
export interface Size {
  width: number;
  height: number;
}

export function mapToDevice(point: { x: number; y: number }, shown: Size, image: Size, rotation: 0 | 1 | 2 | 3 = 0): { x: number; y: number } {
  const ix = Math.min(Math.max(point.x, 0), shown.width) * (image.width / shown.width);
  const iy = Math.min(Math.max(point.y, 0), shown.height) * (image.height / shown.height);
  let x: number;
  let y: number;
  switch (rotation) {
    case 1: // image is the input space turned 90° clockwise
      x = iy;
      y = image.width - ix;
      break;
    case 2:
      x = image.width - ix;
      y = image.height - iy;
      break;
    case 3:
      x = image.height - iy;
      y = ix;
      break;
    default:
      x = ix;
      y = iy;
  }
  return { x: Math.round(x), y: Math.round(y) };
}
