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
  /([^，,。；：:（(“”"\s]{4,40}?(公司|集团|工作室))[^。]{0,30}?[（(][^）)。]{0,30}?[“"「](我们|我方|本公司)[”"」]/,
  /运营(者|方|主体|商)[^：:。，,]{0,10}?(为|是|：|:)\s*([^，,。；（(“”"]{4,40}?(公司|集团|工作室))/,
  /我们是\s*([^，,。；（(“”"]{4,40}?(公司|集团|工作室))/,
  /由\s*([^，,。；（(“”"]{4,40}?(公司|集团))[^。]{0,40}?(负责|提供)?[^。]{0,6}运营/,
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
  if (sentenceRole === 'shares' && RECEIVES.test(text)) return 'receives';
  // "QQ钱包功能由财付通公司向您提供服务……查阅《财付通隐私政策》": the provider, with a link to its own policy.
  if (PROVIDER.test(text)) return 'service-provider';
  if (sentenceRole === 'link') return 'link';
  if (sentenceRole === 'shares') return 'receives';
  return 'other';
}

/** The functions a sentence names, as the SDK knowledge base's categories. */
const FUNCTION_WORDS: Array<[RegExp, string]> = [
  [/推送|push/i, 'push'], [/统计|数据分析|analytics/i, 'analytics'], [/定位|位置|地图|导航|map|location/i, 'maps'],
  [/分享|share/i, 'social'], [/一键登录|本机号码|号码认证/, 'login'], [/广告|ads?\b/i, 'ads'], [/支付|pay/i, 'payment'],
  [/崩溃|crash/i, 'crash'], [/客服/, 'customerService'], [/即时通讯|聊天|\bIM\b/, 'im'], [/风控|反作弊|安全/, 'security'],
];

/**
 * The one SDK of `vendor` a list row or sharing sentence means when it names only the company beside the
 * function it serves ("极光 | … | 消息推送", "第三方地理位置服务商高德…SDK"): the vendor's SDKs of the named
 * function, narrowed to location or map by the words; none unless exactly one remains (nothing is guessed).
 */
export function functionsNamed(text: string): Set<string> {
  return new Set(FUNCTION_WORDS.filter(([re]) => re.test(text)).map(([, c]) => c));
}

export function vendorSdkFor<T extends { id: string; vendor: string; category: string }>(sdks: readonly T[], vendor: string, text: string, functions: ReadonlySet<string>, before = ''): T | null {
  let candidates = sdks.filter((s) => s.vendor === vendor && functions.has(s.category));
  if (candidates.length > 1 && functions.has('maps')) {
    // The words that name the company's role right before it ("第三方地理位置服务商高德、百度") decide first.
    for (const words of [before, text]) {
      const wantsLocation = /定位|位置|location/i.test(words), wantsMap = /地图|导航|map/i.test(words);
      if (wantsLocation === wantsMap) continue;
      candidates = candidates.filter((s) => /location/.test(s.id) === wantsLocation);
      break;
    }
  }
  return candidates.length === 1 ? candidates[0]! : null;
}
