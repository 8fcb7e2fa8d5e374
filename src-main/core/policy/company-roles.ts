/**
 * Companies in a policy by the role it names them in (issue #25): a company receiving data as an SDK or
 * third party (a list row, a sharing sentence) declares its SDKs; named as the provider of one function, in a
 * link, in an address or as the operator it declares nothing. Also: the operator the policy names ("本政策
 * 由…提供", "…（以下简称“我们”）", "运营者为…", "我们是…"), and URLs blanked out before any name is matched
 * (a company's alias inside a link's address is no mention of it).
 */
import type { NamedCompany, PolicySentence } from '../../../src-preload/policy.js';

const URL = /(?:https?:\/\/|www\.)[^\s)）\]」"'<>，。；、]{1,2000}|\]\([^)\s]{1,2000}\)|\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,6}\.(?:com|cn|net|org|io)(?:\/[^\s)）\]」"'<>，。；]{0,2000})?/gi;

/** The text with every URL (and a Markdown link's target) replaced by spaces: names are matched on this. */
export function blankUrls(text: string): string {
  return text.replace(URL, (m) => ' '.repeat(m.length));
}

/**
 * Where the policy says who runs the app; the capture is the company as written. Patterns are anchored on
 * short fixed words and bounded runs, so a sentence is scanned once.
 */
const OPERATOR = [
  /本(隐私)?(政策|指引|声明)[^。]{0,20}?由\s*([^，,。；（(“”"]{4,40}?(公司|集团|工作室|Inc\.|Ltd\.?))/,
  /([^，,。；：:（(“”"\s]{4,40}?(公司|集团|工作室))[^。]{0,30}?[（(]\s*(以下|下文)?(简称|称)?\s*[“"「]?(我们|我方|本公司)/,
  /运营(者|方|主体|商)\s*(为|是|：|:)\s*([^，,。；（(“”"]{4,40}?(公司|集团|工作室))/,
  /我们是\s*([^，,。；（(“”"]{4,40}?(公司|集团|工作室))/,
  /由\s*([^，,。；（(“”"]{4,40}?(公司|集团))\s*(负责)?运营/,
  /(operated|provided) by\s+([A-Z][\w .,&-]{3,60}?(Inc\.|Ltd\.?|LLC|Limited|Co\.))/,
];

export function findOperator(sentences: PolicySentence[]): { name: string; sentence: number } | null {
  const head = sentences.slice(0, 300);
  for (const re of OPERATOR) {
    for (const s of head) {
      const m = re.exec(s.text);
      if (!m) continue;
      const name = m.slice(1).filter((g) => g && /公司|集团|工作室|Inc\.|Ltd|LLC|Limited|Co\./.test(g)).sort((a, b) => b.length - a.length)[0];
      // The name starts after the last word that introduces it ("QQ是一款由深圳市…公司" → "深圳市…公司").
      if (name) return { name: name.replace(/^.*[由是为指于的【「」]/, '').trim(), sentence: s.index };
    }
  }
  return null;
}

/** "…由财付通公司向您提供服务", "…服务由X提供": the provider of one function. */
const PROVIDER = /由[^。]{0,30}(提供|向您提供|为您提供)|提供(的)?[^。]{0,6}服务|服务(提供方|提供商|商)|technical (services|provider)/;

/** Words that hand data to the company or put its code in the app. */
const RECEIVES = /接入|集成|嵌入|共享给?|提供给|委托|SDK|shares? with|integrat/i;

/** The role a company named in a sentence of role `sentenceRole` plays there, or 'receives' when it gets data. */
export function companyRole(text: string, sentenceRole: string): NamedCompany['role'] | 'receives' {
  if (sentenceRole === 'list-row') return 'receives';
  if (sentenceRole === 'contact') return 'address';
  if (sentenceRole === 'link') return 'link';
  if (sentenceRole === 'shares' && (RECEIVES.test(text) || !PROVIDER.test(text))) return 'receives';
  if (PROVIDER.test(text)) return 'service-provider';
  return 'other';
}
