/**
 * A policy's bytes to plain text, whatever they came as: the charset from a BOM, the HTTP header or the
 * page's <meta>, else UTF-8 when it decodes cleanly and GB18030 (a superset of GBK) when not; HTML reduced to
 * text by a linear scanner that drops scripts, styles and comments (never run, never rendered) and keeps
 * table rows as "cell | cell" lines. Size is bounded before any work.
 */
import { WorkbenchError } from '../errors.js';

/** Real policies, even as HTML with inline styles, are well under this; more is refused, not truncated. */
export const MAX_POLICY_BYTES = 8 * 1024 * 1024;
/** Characters of text kept for reading (a policy of a million characters would take hours to read by hand). */
export const MAX_POLICY_CHARS = 1_000_000;

export interface PolicyText {
  text: string;
  charset: string;
  html: boolean;
}

const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'canvas', 'math']);
const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'table', 'thead', 'tbody', 'tr', 'header', 'footer', 'blockquote', 'pre', 'dt', 'dd', 'dl', 'hr', 'main', 'nav', 'aside', 'caption', 'title', 'body', 'html', 'form', 'figure', 'figcaption', 'details', 'summary']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', middot: '·', hellip: '…', mdash: '—', ndash: '–', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', laquo: '«', raquo: '»', copy: '©', reg: '®', times: '×', bull: '•' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code < 0x110000 && !(code >= 0xd800 && code < 0xe000) ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function charsetOf(bytes: Buffer, contentType: string | null): { charset: string; skip: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', skip: 2 };
  const declared = /charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? '')?.[1]
    ?? /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(bytes.subarray(0, 4096).toString('latin1'))?.[1];
  if (declared) {
    const c = declared.toLowerCase();
    if (c === 'gbk' || c === 'gb2312' || c === 'gb18030' || c === 'x-gbk') return { charset: 'gb18030', skip: 0 };
    if (c === 'utf-8' || c === 'utf8') return { charset: 'utf-8', skip: 0 };
    if (c === 'big5' || c === 'utf-16le' || c === 'utf-16be' || c === 'iso-8859-1' || c === 'windows-1252') return { charset: c, skip: 0 };
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { charset: 'utf-8', skip: 0 };
  } catch {
    return { charset: 'gb18030', skip: 0 };
  }
}

export function looksLikeHtml(text: string, contentType: string | null): boolean {
  if (/html|xml/i.test(contentType ?? '')) return true;
  return /^\s*(<!doctype html|<html|<\?xml)/i.test(text.slice(0, 512)) || /<(body|div|p|table|br)\b[^>]*>/i.test(text.slice(0, 65536));
}

/** HTML to text in one pass: tags become line breaks or nothing, table cells " | ", dropped elements vanish. */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  let link: string | null = null;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) { out.push(html.slice(i)); break; }
    out.push(html.slice(i, lt));
    if (lower.startsWith('<!--', lt)) {
      const end = lower.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (lower.startsWith('<!', lt) || lower.startsWith('<?', lt)) {
      const end = html.indexOf('>', lt + 2);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    const m = /^<\/?([a-z][a-z0-9-]*)/.exec(lower.slice(lt, lt + 40));
    const gt = html.indexOf('>', lt + 1);
    if (!m || gt < 0) {
      out.push(m ? '' : '<');
      i = m ? html.length : lt + 1;
      continue;
    }
    const name = m[1]!;
    const closing = lower[lt + 1] === '/';
    i = gt + 1;
    if (!closing && DROPPED.has(name) && html[gt - 1] !== '/') {
      const end = lower.indexOf(`</${name}`, i);
      const endGt = end < 0 ? -1 : html.indexOf('>', end);
      i = endGt < 0 ? html.length : endGt + 1;
      if (name === 'head') out.push('\n');
      continue;
    }
    if (name === 'td' || name === 'th') { if (closing) out.push(' | '); continue; }
    // A link keeps its address as Markdown ("[《第三方SDK目录》](https://…)"), so a list page the policy points to
    // can be named with its URL; only absolute http(s) addresses, bounded.
    if (name === 'a') {
      if (link !== null) { out.push(`](${link})`); link = null; }
      if (!closing) {
        const href = /\shref\s*=\s*["']?(https?:\/\/[^"'\s>]{1,2000})/i.exec(html.slice(lt, gt + 1))?.[1];
        if (href) { link = decodeEntities(href).replace(/[()\s]/g, encodeURIComponent); out.push('['); }
      }
      continue;
    }
    if (BLOCK.has(name)) out.push('\n');
  }
  if (link !== null) out.push(`](${link})`);
  return decodeEntities(out.join(''));
}

/**
 * A line of table cells as " | "-separated cells: a Markdown row ("|a|b|"), cells separated by tabs, or by wide
 * runs of spaces when there are at least two such runs (one run is only indentation or centring).
 */
function cellsOf(line: string): string {
  const t = line.replace(/^[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+$/g, '');
  if (t.startsWith('|')) return t.replace(/\s*\|\s*/g, ' | ');
  if (t.includes('\t')) return t.replace(/[ \u00a0\u3000]*\t[ \t\u00a0\u3000]*/g, ' | ');
  const wide = /[ \u00a0\u3000]{3,}/g;
  return (t.match(wide)?.length ?? 0) >= 2 ? t.replace(wide, ' | ') : t;
}

/** Lines without control characters, runs of blanks folded, empty lines dropped. */
export function tidyLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .split('\n')
    .map((l) => cellsOf(l).replace(/[ \t\u00a0\u3000]+/g, ' ').replace(/^ | $/g, '').replace(/^\|\s*|\s*\|$/g, ''))
    .filter((l) => l && !/^[|\s]+$/.test(l) && !/^[|\s:-]*-{3}[|\s:-]*$/.test(l))
    .join('\n');
}

/** The refusal of a policy of `bytes` bytes, over the cap (said before it is read). */
export function policyTooLarge(what: string, bytes: number): WorkbenchError {
  const mib = (bytes / 1048576).toFixed(1);
  return new WorkbenchError('policy.refused', `${what} is ${mib} MiB; a privacy policy larger than ${MAX_POLICY_BYTES / 1048576} MiB is refused (give the policy page itself, not a site archive). “${what}”有 ${mib} MiB，超过 ${MAX_POLICY_BYTES / 1048576} MiB 的隐私政策不予读取（请提供隐私政策页面本身，而非网站存档）。`);
}

export function policyTextFromBytes(bytes: Buffer, contentType: string | null = null, what = 'the policy'): PolicyText {
  if (bytes.length > MAX_POLICY_BYTES) throw policyTooLarge(what, bytes.length);
  const { charset, skip } = charsetOf(bytes, contentType);
  const raw = new TextDecoder(charset).decode(bytes.subarray(skip));
  const html = looksLikeHtml(raw, contentType);
  const text = tidyLines(html ? htmlToText(raw) : raw);
  if (!text.trim() && html) {
    // An image-only page (the policy as pictures): nothing to read, nothing guessed; the tester gives the text.
    const images = Math.min(10_000, (raw.match(/<(img|svg|canvas)\b/gi) ?? []).length);
    if (images) {
      throw new WorkbenchError('policy.no-text', `${what} shows ${images} image(s) and no readable text (an image-only page): it cannot be read, and nothing is guessed from it. Paste its text or load it as a file. “${what}”只有 ${images} 张图片、没有可读的文字，无法读取，也不作任何推测：请粘贴其文字或载入文本文件。`, { what: what.slice(0, 200), images, reason: 'image-only-page', where: 'url' });
    }
  }
  if (!text.trim()) throw new WorkbenchError('policy.refused', `${what} holds no readable text (an empty page, or text drawn by scripts: capture it from the phone instead). “${what}”中没有可读的文字（页面为空，或文字由脚本生成：请改为从手机采集）。`);
  if (text.length > MAX_POLICY_CHARS) {
    const chars = text.length.toLocaleString('en');
    throw new WorkbenchError('policy.refused', `${what} has ${chars} characters of text; more than ${MAX_POLICY_CHARS.toLocaleString('en')} is refused as not a privacy policy (give the policy page itself). “${what}”有 ${chars} 个字符，超过 ${MAX_POLICY_CHARS.toLocaleString('en')} 个字符的文本不视为隐私政策（请提供隐私政策页面本身）。`);
  }
  return { text, charset, html };
}
