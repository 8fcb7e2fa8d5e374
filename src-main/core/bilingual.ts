/** A sentence in English and Chinese, for messages built in the core and shown in either language. */
export interface Bilingual {
  en: string;
  zh: string;
}

export function bi(en: string, zh: string): Bilingual {
  return { en, zh };
}
