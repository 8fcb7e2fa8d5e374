/** UI strings in Simplified Chinese and English; zh-CN is the default for a Chinese system locale. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zh from './locales/zh-CN.json';
import { ERROR_CATALOGUE } from '../../src-main/core/i18n/error-text';
import type { Localized } from '../../src-preload/api';
import { visibleText } from '../../src-preload/visible-text';

export function systemLanguage(): 'zh-CN' | 'en' {
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  // The words of errors are the core's (shared with the CLI): merged in beside the UI's own strings.
  resources: { 'zh-CN': { translation: { ...zh, ...ERROR_CATALOGUE['zh-CN'] } }, en: { translation: { ...en, ...ERROR_CATALOGUE.en } } },
  lng: systemLanguage(),
  fallbackLng: 'en',
  // React escapes HTML; what a value still needs is its controls removed and its bidi controls shown, so a
  // serial, subject or file name put into a sentence cannot reorder it.
  interpolation: { escapeValue: true, escape: visibleText },
});

/** Picks the user's language from a zh/en pair (scenario names, knowledge-base entries). */
export function localized(text: Localized, lang: string): string {
  return typeof text === 'string' ? text : lang.startsWith('zh') ? text.zh : text.en;
}

export default i18n;
