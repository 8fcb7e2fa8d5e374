/**
 * The zh-CN DOM check any e2e test can call on a screen: every visible text node is walked, and a Latin word
 * is allowed only inside <code> (identifiers: package, permission and class names, hashes, event and stage
 * ids, serials), <kbd> (keys), an element marked lang="en" (English on purpose, e.g. the English line of a
 * bilingual label), or one marked translate="no" (HTML's mark for a name that is never translated: a phone's
 * model as the phone reports it). The few names that Chinese technical writing uses as they are (APK, SDK, adb, Android…)
 * are listed in TERMS, each one a product, protocol or format name, never a sentence word. Attributes a
 * person reads (placeholder, title, aria-label, alt) and the chosen option of each select are checked the
 * same way, except that they cannot hold <code>: there a token that is shaped like an identifier (it has a
 * digit, dot, underscore, colon, slash, @ or =, or an inner capital) counts as one.
 *
 * It returns what it found, with where (the nearest data-testid or tag path), so a failing test names the
 * string and the place to fix.
 */
import type { Page } from '@playwright/test';

/** Names used as they are in Chinese technical text: products, protocols, formats, units. Not words. */
export const TERMS = [
  'adb', 'APK', 'SDK', 'Android', 'ID', 'UI', 'USB', 'TCP', 'IP', 'Wi-Fi', 'Wi', 'Fi', 'URL', 'HTML', 'PDF', 'XLSX', 'CSV', 'JSON', 'XML',
  'SHA', 'SM2', 'SM3', 'SM4', 'MD5', 'CMS', 'PKCS', 'RFC', 'TSA', 'CA', 'UTC', 'GMT', 'DEX', 'ABI', 'IMEI', 'IMSI', 'MAC', 'OAID', 'Root', 'Shell', 'App',
  'AppRights', 'Workbench', 'MIIT', 'GB', 'TAF', 'Noto', 'Sans', 'SC', 'Alt', 'Ctrl', 'Enter', 'Esc', 'Tab', 'OK',
  'ASCII', 'UID', 'PID', 'ANR', 'Java', 'AES', 'GCM', 'ms', 'fps', 'px', 'dpi', 'KB', 'MB', 'GiB', 'MiB', 'KiB',
  // Network protocols (issue #27's Network view).
  'HTTP', 'HTTPS', 'TLS', 'SNI', 'WebSocket',
  // The farm's queue store (issue #30), a product name as Chinese lab manuals write it.
  'Redis',
];

export interface ZhFinding {
  text: string;
  words: string[];
  where: string;
}

/** Words of Latin letters in `text` that are not allowed in a zh-CN screen outside <code>/<kbd>/lang="en". */
export function englishWords(text: string, identifiersAllowed: boolean, terms: readonly string[] = TERMS): string[] {
  const allowed = new Set(terms.map((x) => x.toLowerCase()));
  const tokens = text.split(/[\s\u3000，。；：、（）《》“”‘’！？【】「」…·,;()[\]{}"'!?<>|+*~^`]+/u).filter(Boolean);
  const out: string[] = [];
  for (const token of tokens) {
    if (identifiersAllowed && (/[\d._:/@\\=]/.test(token) || /[a-z][A-Z]/.test(token)) && /[A-Za-z]/.test(token)) continue;
    for (const word of token.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) {
      // One letter is a key, a grade or an appendix (附录F), not a word.
      if (word.length > 1 && !allowed.has(word.toLowerCase())) out.push(word);
    }
  }
  return out;
}

/** Every English word on the page as it is shown now (visible elements only); `within`: only inside that element (a dialog). */
export async function findEnglish(page: Page, terms: readonly string[] = TERMS, within = 'body'): Promise<ZhFinding[]> {
  const raw = await page.evaluate((rootSelector) => {
    const root = document.querySelector(rootSelector) ?? document.body;
    const visible = (el: Element): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden') return false;
        if (e.tagName === 'DETAILS' && !(e as HTMLDetailsElement).open && e !== el && !el.closest('summary')) return false;
      }
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const where = (el: Element): string => {
      const tagged = el.closest('[data-testid]');
      const path: string[] = [];
      for (let e: Element | null = el; e && path.length < 4; e = e.parentElement) path.unshift(e.tagName.toLowerCase() + (e.classList.length ? `.${[...e.classList].join('.')}` : ''));
      return `${tagged ? `[data-testid=${tagged.getAttribute('data-testid')}] ` : ''}${path.join(' > ')}`;
    };
    const exempt = (el: Element): boolean => !!el.closest('code, kbd, [lang="en"], [lang^="en-"], [translate="no"], .xterm');
    const out: Array<{ text: string; where: string; attr: boolean }> = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = (n.textContent ?? '').trim();
      if (!el || !text || el.closest('script, style, select') || exempt(el) || !visible(el)) continue;
      out.push({ text, where: where(el), attr: false });
    }
    for (const el of root.querySelectorAll('[placeholder], [title], [aria-label], img[alt]')) {
      if (exempt(el) || !visible(el)) continue;
      for (const attr of ['placeholder', 'title', 'aria-label', 'alt']) {
        const v = el.getAttribute(attr)?.trim();
        if (v) out.push({ text: v, where: `${where(el)} @${attr}`, attr: true });
      }
    }
    for (const select of root.querySelectorAll('select')) {
      const chosen = select.selectedOptions[0];
      if (chosen && !exempt(chosen) && visible(select)) out.push({ text: chosen.text.trim(), where: `${where(select)} option`, attr: true });
    }
    return out;
  }, within);
  const seen = new Set<string>();
  const found: ZhFinding[] = [];
  for (const r of raw) {
    const words = englishWords(r.text, r.attr, terms);
    const key = `${r.text}|${r.where}`;
    if (words.length && !seen.has(key)) {
      seen.add(key);
      found.push({ text: r.text.slice(0, 160), words, where: r.where });
    }
  }
  return found;
}

/** A readable list for an assertion message. */
export function describeFindings(screen: string, found: ZhFinding[]): string {
  return found.map((f) => `${screen}: "${f.text}" (${f.words.join(', ')}) at ${f.where}`).join('\n');
}
