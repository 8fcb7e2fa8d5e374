/**
 * What the tester must know about a policy's text before trusting its reading (issue #25, bad input), in
 * both languages and without guessing: a page that is only links (the policy is elsewhere), only tables, an
 * English-only text (the dictionary is Chinese-first), Traditional characters (read through a one-to-one
 * mapping to Simplified, quotes kept as written). Each check is one pass over the text.
 */
import type { PolicyNotice, PolicyReading, PolicySentence } from '../../../src-preload/policy.js';

/**
 * Traditional characters of the words policies use, each to its Simplified form. One character to one, so
 * positions in the text do not move and every quote is the original's.
 */
const TRADITIONAL = '個資們會權隱與對於說這時請將還從應關體記錄號碼訊聯絡網電話裝備識別機帳戶簡攝頭麥風圖冊儲藍證實銀額獲讀寫傳測歷紀詳細貨單務態標視頻聲紋臉產開啟動設為據數處訪問錢費買賣門類項頁書條內軟統計錯誤確認選擇無須裡後並僅樣護範圍變種導購據擁檢輸聽見從點擊隨時檔載線雲層離際顯絕當歲兒級蹤軌跡閱覽歷構議務員';
const SIMPLIFIED = '个资们会权隐与对于说这时请将还从应关体记录号码讯联络网电话装备识别机帐户简摄头麦风图册储蓝证实银额获读写传测历纪详细货单务态标视频声纹脸产开启动设为据数处访问钱费买卖门类项页书条内软统计错误确认选择无须里后并仅样护范围变种导购据拥检输听见从点击随时档载线云层离际显绝当岁儿级踪轨迹阅览历构议务员';
const TO_SIMPLIFIED = new Map([...TRADITIONAL].map((c, i) => [c, SIMPLIFIED[i]!]));
const TRADITIONAL_CHAR = new RegExp(`[${TRADITIONAL}]`, 'g');

/** The text with the Traditional characters above in their Simplified forms (same length), and how many there were. */
export function toSimplified(text: string): { text: string; replaced: number } {
  let replaced = 0;
  const out = text.replace(TRADITIONAL_CHAR, (c) => { replaced++; return TO_SIMPLIFIED.get(c) ?? c; });
  return { text: out, replaced };
}

const LINK = /\[[^\]]{0,300}\]\([^)\s]{0,2000}\)|https?:\/\/[^\s)）\]]{1,2000}|www\.[^\s)）\]]{1,2000}/g;
/** The same, without state between calls (a global regular expression's test() moves its lastIndex). */
const HAS_LINK = new RegExp(LINK.source);

export function policyNotices(text: string, sentences: PolicySentence[], language: PolicyReading['language'], traditional: number, read: { pi: number; sdks: number }): PolicyNotice[] {
  const notices: PolicyNotice[] = [];
  const words = sentences.filter((s) => /[\p{L}\p{N}]/u.test(s.text));
  if (!words.length) {
    notices.push({ code: 'no-text', message: { zh: '文本中没有可读的文字（可能是图片或由脚本生成的页面）：无法读取，请提供隐私政策的文字。', en: 'The text holds nothing readable (an image or a page drawn by scripts): it cannot be read; give the policy as text.' } });
    return notices;
  }
  const links = words.filter((s) => HAS_LINK.test(s.text) && s.text.replace(LINK, '').replace(/[\s\p{P}\p{S}\d]/gu, '').length < 16);
  const prose = text.replace(LINK, '').replace(/[\s\p{P}\p{S}\d]/gu, '').length;
  if (links.length >= 2 && (links.length >= words.length * 0.8 || prose < 300)) {
    notices.push({ code: 'links-only', message: {
      zh: `这段文本只是一组链接（${links.length} 条，其余文字 ${prose} 个字符），不是隐私政策本身：未从中读取任何内容。请打开其中的隐私政策链接并采集该页面。`,
      en: `This text is only a list of links (${links.length}, with ${prose} characters of other text), not the policy itself: nothing was read from it. Open the privacy-policy link and capture that page.`,
    } });
  }
  const rows = words.filter((s) => s.text.includes(' | ')).length;
  if (rows >= 20 && rows >= words.length * 0.9) {
    notices.push({ code: 'tables-only', message: {
      zh: `文本几乎全是表格（${rows} 行，共 ${words.length} 句）：只按清单的行读取，没有正文可读。请确认这是隐私政策而非单独的清单页面。`,
      en: `The text is almost only tables (${rows} rows of ${words.length} sentences): it was read as list rows, with no prose to read. Check that this is the policy, not a separate list page.`,
    } });
  }
  if (language === 'en') {
    notices.push({ code: 'english-only', message: {
      zh: `政策为英文。个人信息词典以中文为主，英文只读取其英文词条（已读到 ${read.pi} 类个人信息、${read.sdks} 个 SDK）：中文政策特有的写法（清单、SDK 目录等）可能读不到，请人工核对。`,
      en: `The policy is in English. The PI dictionary is Chinese-first; English is read with its English terms only (${read.pi} PI categories and ${read.sdks} SDKs read): list and SDK-directory wordings of Chinese policies may be missed, check by hand.`,
    } });
  }
  if (traditional >= 10) {
    notices.push({ code: 'traditional-chinese', message: {
      zh: `文本含繁体字（${traditional} 个常用词字）：已按一一对应的简体字读取，引文保留原文。词典外的繁体写法可能读不到，请人工核对。`,
      en: `The text has Traditional Chinese characters (${traditional} of the common words): they were read as their one-to-one Simplified forms, quotes keep the original. Traditional wordings outside the dictionary may be missed; check by hand.`,
    } });
  }
  return notices;
}
