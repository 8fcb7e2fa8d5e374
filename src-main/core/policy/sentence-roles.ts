/**
 * What each sentence of a policy does (issue #25): only sentences that collect or share and the rows of a
 * list declare anything; a definition ("本政策中涉及的个人敏感信息包括…"), the company's contact details, a
 * notification channel, a link to another policy, a heading only mention. Also the few places where a term
 * means something else by what stands right beside it: SMS sent to the user, a customer-service call record,
 * Wi-Fi / Bluetooth / cell towers named as sources of location. Each rule is one regular expression over one
 * sentence (no nested quantifiers), so classifying stays linear in the text.
 */
import type { PolicySentence, SentenceRole } from '../../../src-preload/policy.js';

/** A table row (HTML cells, Markdown pipes, tabs or wide runs of spaces, all folded to " | " by the text extraction). */
export const isTableRow = (text: string): boolean => text.includes(' | ');

/** "个人敏感信息是指…", "本政策中涉及的个人敏感信息包括…", "…（以下简称“我们”）" define words; they collect nothing. */
const DEFINES = /是指|指的是|一旦泄露|[”"]\s*(是|指)[^。]{0,4}(一旦|以电子|能够|可以)|本(隐私)?(政策|指引|声明)中?(所)?涉及的?(个人)?(敏感)?信息|(个人)?敏感(个人)?信息\**[：:]?\**\s*指?\s*(包括|包含|例如|如)|个人(隐私)?信息(包括|包含)[^。]{0,12}(各种|各类|以电子)|\bmeans\b|\brefers to\b/i;
/**
 * The kinds of personal information of GB/T 35273's annex, as the definitions section lists them one per line
 * ("个人常用设备信息（如硬件型号、…）"): a definition, unless the line itself says it is collected.
 */
const STANDARD_KIND = /^[^。：:]{0,12}(个人基本资料|个人身份信息|个人生物识别信息|网络身份标识信息|网络身份识别信息|个人健康生理信息|个人教育工作信息|个人财产信息|个人通信信息|联系人信息|个人上网记录|个人常用设备信息|个人位置信息)[_*\s]*[（(：:]/;
/** The user's rights, a revocation, a change of the policy: they name kinds only to say what the user may do. */
const NOT_A_COLLECTION = /(可以|可通过|随时|自主设置|设置中)[^。]{0,16}(关闭|撤回|取消)[^。]{0,24}(权限|授权)|(访问|更正|编辑|删除|查询|复制)[^。]{0,4}(或|、|和)(访问|更正|编辑|删除|查询|复制)|更新的内容需要|修订后的本政策|分享的内容所包含的信息|（元数据）/;
/** A sentence saying what the app itself collects is no definition, whatever words it borrows. */
const WE_COLLECT = /我们(会|将|可能|需要|仅|只)?[^。，,]{0,8}(收集|获取|采集|读取|访问)|we (may |will )?(collect|access|obtain)/i;
/** Any collecting verb: a sentence with one is no mere notification. */
const COLLECT_VERB = /收集|获取|采集|读取|访问|调用|上传|collect|access|obtain/i;
/** The company's own address, phone, mail box: "地址：广东省…", "邮寄至…", "客服电话：400…". */
const CONTACT = /(注册地址|办公地址|联系地址|通讯地址|通信地址|地址|电话|热线|邮箱|电子邮件|传真|邮编|邮政编码|e-?mail)\s*(为|是)?\s*[：:]|邮寄至|寄至|邮寄到|来函|来信|与我们联系|联系我们|联系方式如下|以下方式联系|客服热线|如何联系/i;
/** Telling the user something by SMS, mail or push: the channel, not a collection. */
const NOTIFICATION = /(以|通过|采用|利用|经由|使用)?(手机)?(短信|邮件|电子邮件|站内信|推送|系统消息|通知栏|弹窗|公告|电话)[^。]{0,16}(通知|告知|提醒|告诉|推送|送达|联系您|联络您)|(通知|告知|提醒)您?[^。]{0,12}(短信|邮件|推送|站内信|公告)|(发送|推送)[^。]{0,10}(营销|商业|推广|广告)/;
/** A pointer to a page elsewhere: a URL, a Markdown link, or "请查阅《…》". */
const LINK = /https?:\/\/|\]\(|(查阅|详见|参见|参阅|请见|点击|访问|查看)[^。]{0,12}《|《[^》]{1,40}(政策|协议|指引|规则|声明|条款)》[^。]{0,8}(查阅|了解|详见|链接)/;
/** Examples: "例如：…", "比如…" (a sentence that only gives examples). */
const EXAMPLE = /^(例如|比如|举例|譬如|for example|e\.g\.)/i;
/** Sentences that hand data on or let others' code in. */
const SHARES = /共享|提供给|委托|第三方|合作方|合作伙伴|接入|集成|嵌入|SDK|转让|披露|传输给|传送给|shar(e|ing)|third[- ]part|partner|disclos/i;
/** A chapter or section title: numbered, or a short line with no sentence punctuation. */
const NUMBERED = /^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十\d]+[章节部分条]|\d{1,2}(\.\d{1,2})*[、.．]?\s)/;

export function isHeading(text: string, wholeLine = true): boolean {
  const t = text.replace(/^[#*\s]+|[*\s]+$/g, '');
  if (t.length > 40 || isTableRow(t) || /[。；;！？!?]$/.test(t)) return false;
  if (/[。；;，,]/.test(t.replace(/[：:]$/, ''))) return false;
  return NUMBERED.test(t) || (wholeLine && t.length <= 24);
}

/**
 * The role of one sentence by its own words; `inList` says it lies inside a list's section (its rows), which
 * the list reader found. Roles that declare: collects, shares, list-row. A sentence with no declaring verb and
 * no other role still counts as collecting when it names what is collected ("设备信息：IMEI、MAC地址"): the
 * collection chapters of real policies are mostly such items.
 */
export function roleOf(text: string, inList: boolean, header: boolean, wholeLine = true): SentenceRole {
  if (header) return 'list-header';
  if (inList) return 'list-row';
  if (isHeading(text, wholeLine)) return 'heading';
  if (isTableRow(text)) return 'list-row';
  if ((DEFINES.test(text) || STANDARD_KIND.test(text)) && !WE_COLLECT.test(text)) return 'defines';
  if (NOT_A_COLLECTION.test(text)) return 'other';
  if (CONTACT.test(text) && !WE_COLLECT.test(text)) return 'contact';
  if (NOTIFICATION.test(text) && !COLLECT_VERB.test(text)) return 'notification';
  if (LINK.test(text) && text.replace(/\[[^\]]*\]\([^)]*\)|https?:\/\/\S+/g, '').length < 120) return 'link';
  if (EXAMPLE.test(text)) return 'example';
  if (SHARES.test(text)) return 'shares';
  return 'collects';
}

/** Words of a sentence about locating the user: Wi-Fi, Bluetooth, sensors beside them are location sources. */
const LOCATION_SOURCE = /基站|接入点|GPS|定位|位置|location/i;

export const DECLARING: ReadonlySet<SentenceRole> = new Set<SentenceRole>(['collects', 'shares', 'list-row']);

/** Facts about a whole sentence that term rules ask, each computed at most once (a dense sentence has many terms). */
export class SentenceFacts {
  private memo = new Map<string, boolean>();
  constructor(readonly text: string) {}
  has(name: string, re: RegExp): boolean {
    let v = this.memo.get(name);
    if (v === undefined) { v = re.test(this.text); this.memo.set(name, v); }
    return v;
  }
}

const CUSTOMER_SERVICE = /客服|客户服务|投诉|咨询|反馈|售后|沟通|来电|热线|服务记录|客诉|与您联系|联系您|解决问题/;
const IDENTITY_DOCUMENT = /身份证|证件|身份信息|人脸/;

/**
 * Whether a PI term at `at` in the sentence means what its category says, judged by the words right around it
 * (a bounded window) or by one memoized fact of the sentence: "短信验证码" / "以短信通知您" is a channel (SMS
 * is only read where the sentence reads it), "通话记录" beside customer service is the support desk's record,
 * Wi-Fi, Bluetooth, IP or sensors in a sentence about locating the user are sources of location.
 */
export function termMeansCategory(category: string, term: string, facts: SentenceFacts, at: number): boolean {
  const text = facts.text;
  const around = text.slice(Math.max(0, at - 12), at + term.length + 12);
  const wide = text.slice(Math.max(0, at - 40), at + term.length + 40);
  switch (category) {
    case 'sms': {
      const after = text.slice(at + term.length, at + term.length + 4);
      const before = text.slice(Math.max(0, at - 8), at);
      if (/^(验证码|校验码|动态码|动态密码|通知|提醒|服务|方式|形式|推送|营销|的方式|等方式)/.test(after) && !/(读取|自动填充|自动填写|识别)[^。]{0,6}$/.test(before)) return false;
      if (/退订|回复/.test(around)) return false;
      return /读取|读短信|获取|收集|访问|监听|拦截|接收|短信内容|短信记录|短信权限|短信数据|收发短信|SMS permission|\bread/i.test(around);
    }
    case 'callLog':
      return !facts.has('customerService', CUSTOMER_SERVICE);
    case 'microphone':
      return !(term === '录音' && /客服|电话|通话|来电|热线/.test(around));
    case 'network':
      // "IP地址、GPS位置以及能够提供相关信息的Wi-Fi接入点、蓝牙和基站等传感器信息": the sources of a location.
      if (/^ip/i.test(term) && /^[、，,\s]{0,3}GPS/i.test(text.slice(at + term.length, at + term.length + 8))) return false;
      return !(/wi-?fi|wlan|无线网络/i.test(term) && LOCATION_SOURCE.test(wide));
    case 'nearbyDevices':
    case 'sensors':
      return !LOCATION_SOURCE.test(wide) || /连接的|扫描|配对|蓝牙设备|设备连接|connect/.test(around);
    case 'contacts':
      // "联系人姓名" of an order is a person to contact; "通讯录-查找设备上的账号" names a permission group.
      if (term === '联系人' && !/通讯录|读取|访问|权限|上传|导入|手机中|设备中/.test(around)) return false;
      return !/^\s*[-—]\s*查找/.test(text.slice(at + term.length, at + term.length + 4));
    case 'identity':
      // A name or "实名认证" alone is no identity document.
      // "身份证明" (proof of identity for a request) is no identity card.
      if (term === '身份证' && text[at + term.length] === '明') return false;
      return !(term === '姓名' || term === '真实姓名' || term === '实名认证') || facts.has('identityDocument', IDENTITY_DOCUMENT);
    case 'storage':
      // Photos the user posts are content, not the device's storage; a server's storage space is not the phone's.
      if ((term === '照片' || term === '图片') && !/相册|存储|读取|访问|本地|设备|权限|手机/.test(around)) return false;
      return !/服务器|云端|云存储|网盘/.test(around);
    case 'address':
      return !/公司|注册|办公|我们的|本公司|寄至|邮寄|大厦|园区/.test(around);
    default:
      return true;
  }
}

/** Sets each sentence's role; `listRows` and `headers` are the indexes the list reader put in a list section. */
export function assignRoles(sentences: PolicySentence[], listRows: ReadonlySet<number>, headers: ReadonlySet<number>): void {
  for (const s of sentences) {
    const wholeLine = sentences[s.index - 1]?.line !== s.line && sentences[s.index + 1]?.line !== s.line;
    s.role = roleOf(s.text, listRows.has(s.index), headers.has(s.index), wholeLine);
    // The items right after a definition ("通讯录；", "个人财产信息（如交易记录…）；") belong to it.
    const prev = sentences[s.index - 1];
    if (prev?.role === 'defines' && s.role === 'collects' && s.text.length <= 60 && !COLLECT_VERB.test(s.text)) s.role = 'defines';
  }
}
