/**
 * The check behind "no English in a Chinese line": the Latin words in text marked zh-CN, outside <code> and
 * elements in another language. All-capital words (UID, ANR, OAID, SDK, PDF, SHA) and the few product names
 * Chinese text writes in Latin letters (App as the MIIT's own texts write it) are allowed; anything else is English the reader was not meant to get.
 */
export const LATIN_IN_CHINESE = ['Android', 'Java', 'ColorOS', 'iAware', 'Wi-Fi', 'App'];

export function englishWords(text: string): string[] {
  return (text.match(/[A-Za-z][A-Za-z'-]*[A-Za-z]|[a-z]/g) ?? []).filter((word) => word !== word.toUpperCase() && !LATIN_IN_CHINESE.includes(word));
}
