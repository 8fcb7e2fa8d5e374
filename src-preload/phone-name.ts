/** How a phone is named to people: its model, preceded by the manufacturer unless the model already says it ("OPPO Find X6", not "OPPO OPPO Find X6"). */
export function phoneName(manufacturer: string | null, model: string | null): string {
  if (!model) return manufacturer ?? '';
  if (!manufacturer || model.toLowerCase().startsWith(manufacturer.toLowerCase())) return model;
  return `${manufacturer} ${model}`;
}
