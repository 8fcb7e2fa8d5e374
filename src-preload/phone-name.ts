import { visibleText } from './visible-text.js';

/**
 * How a phone is named to people: its model, preceded by the manufacturer unless the model already says it
 * ("OPPO Find X6", not "OPPO OPPO Find X6"); the phone's own words, shown (controls removed, bidi visible).
 */
export function phoneName(manufacturer: string | null, model: string | null): string {
  if (!model) return visibleText(manufacturer ?? '');
  if (!manufacturer || model.toLowerCase().startsWith(manufacturer.toLowerCase())) return visibleText(model);
  return visibleText(`${manufacturer} ${model}`);
}
