/**
 * The one description of every timeline event, in Chinese and English, for every shell: report.html (with the
 * phone's identifiers in <code>), the renderer's timeline, feed and pop-ups, and the CLI's English (summarize).
 * Chinese lines hold no English of the phone's: what the phone wrote (packages, APIs, permissions, ops, reasons)
 * is a `code` part, known vocabulary (uid states, hosting types, grant results) is translated, and the rest is
 * quoted as written. Who did it is worded from `source` alone: a mark or input the workbench made is never the
 * tester's. Pure: no Node, no DOM, no i18next.
 *
 * Adding an event type: add its `case` to `describeEvent` (TypeScript reports a type with no case in the
 * `never` check at the end), with `say` templates for both languages.
 */
import type { InputAction } from './api.js';
import { describeExploreResult, describeExploreStep } from './explore-description.js';
import { gapSaid } from './gap-text.js';
import type { EventSource, SensitiveData, TimelineEvent } from './monitor-events.js';
import { q, say, saidText, w, type Said } from './said.js';

export interface EventDescription { zh: Said; en: Said }

export interface DescribeOptions {
  /** A moment inside a sentence (a gap's edges), in the reader's zone; default: UTC "hh:mm:ss.mmm". */
  clock?: (ms: number | null) => string;
  /** A template stage's title by its id (a stage-started mark's label), where the template is at hand. */
  stageTitle?: (id: string) => { zh: string; en: string } | undefined;
}

/** A lookup in a fixed table by a key read from a session folder (untrusted: "__proto__" is a key like any other). */
function named<T extends string>(table: Record<string, T>, key: unknown): T | null {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key]! : null;
}

/** The table's words for a key, or the key itself quoted as code when the table does not know it. */
function word(table: Record<string, string>, key: unknown): Said {
  const found = named(table, key);
  return found === null ? say`${String(key)}` : [w(found)];
}

const SENSITIVE_DATA: Record<SensitiveData, [string, string]> = {
  clipboard: ['剪贴板', 'clipboard'], 'wifi-info': ['Wi-Fi 连接信息', 'Wi-Fi connection info'], 'cell-info': ['基站信息（位置）', 'cell info (location)'],
  'running-apps': ['正在运行的应用列表', 'list of running apps'], 'foreground-app': ['前台应用（运行中的任务）', 'foreground app (running tasks)'], oaid: ['广告标识符 / OAID', 'advertising id / OAID'],
};
const OUTCOME_ZH = { allowed: '读取了', denied: '被拒绝读取', limited: '被限制读取（仅得到自身）', unknown: '查询了' } as const;
const OUTCOME_EN = { allowed: 'read', denied: 'refused', limited: 'limited to its own', unknown: 'looked up' } as const;
const CRASH_ZH = { java: 'Java 异常崩溃', native: '原生信号崩溃', anr: '无响应（ANR）' } as const;
const BLOCKER = { android: ['Android 系统', 'Android'], miui: ['MIUI 自启动管理', 'MIUI auto-start manager'], coloros: ['ColorOS 启动管理', 'ColorOS start-up manager'], emui: ['华为 iAware 启动管控', 'Huawei iAware start control'] } as const;
/** App-ops uid states (dumpsys appops): the app's place from the foreground down. */
const UID_STATE_ZH: Record<string, string> = { pers: '常驻', top: '前台', fgsvc: '前台服务', fgsvce: '前台服务', fg: '前台', bg: '后台', cch: '后台缓存' };
/** Why ActivityManager started a process (its "for <hostingType>"). */
const HOSTING_ZH: Record<string, string> = {
  activity: '界面', 'top-activity': '前台界面', 'next-activity': '下一个界面', 'next-top-activity': '下一个前台界面', service: '服务', 'start service': '启动服务',
  'bind service': '绑定服务', broadcast: '广播', 'content provider': '内容提供者', provider: '内容提供者', backup: '备份', restart: '重启', 'added application': '常驻应用',
};
const INTENT_KIND = { activity: ['界面', 'activity'], service: ['服务', 'service'], broadcast: ['广播', 'broadcast'] } as const;
const GRANT_RESULT_ZH: Record<string, string> = {
  IGNORED: '已忽略', IGNORED_USER_FIXED: '已忽略（用户已固定）', IGNORED_POLICY_FIXED: '已忽略（策略固定）', USER_GRANTED: '用户允许', AUTO_GRANTED: '自动授予',
  USER_DENIED: '用户拒绝', USER_DENIED_WITH_PREJUDICE: '用户拒绝且不再询问', AUTO_DENIED: '自动拒绝', IGNORED_RESTRICTED_PERMISSION: '已忽略（受限权限）',
};
const PERMISSION_CHANGE = { granted: ['已授予', 'granted'], revoked: ['已撤销', 'revoked'], flags: ['标志变为', 'flags'] } as const;

const PROXY_STATE = { on: ['已开启', 'on'], restored: ['已恢复原设置', 'restored'], refused: ['设置失败', 'could not be set'], 'stale-cleared': ['已清除残留设置', 'stale setting cleared'] } as const;
const PROXY_MODE = { usb: ['USB', 'USB'], wifi: ['Wi-Fi', 'Wi-Fi'] } as const;
/** The phone's value kinds, forms and places in words (Chinese, English): the timeline's, the report's and the Network view's. */
export const PI_KIND = {
  'android-id': ['Android ID', 'Android ID'], serial: ['序列号', 'serial number'], imei: ['IMEI', 'IMEI'], meid: ['MEID', 'MEID'], 'wifi-mac': ['Wi-Fi MAC 地址', 'Wi-Fi MAC address'],
  'bluetooth-mac': ['蓝牙 MAC 地址', 'Bluetooth MAC address'], 'ip-address': ['IP 地址', 'IP address'], 'package-list': ['已安装应用列表', 'installed app list'], location: ['位置', 'location'],
  'phone-number': ['手机号码', 'phone number'], oaid: ['OAID', 'OAID'], other: ['检测人员录入的值', 'value entered by the tester'],
} as const;
export const PI_FORM = {
  plain: ['原文', 'as is'], upper: ['大写', 'upper case'], lower: ['小写', 'lower case'], 'url-encoded': ['URL 编码', 'URL-encoded'], base64: ['Base64 编码', 'base64'],
  hex: ['十六进制', 'hex'], md5: ['MD5 摘要', 'MD5'], sha1: ['SHA-1 摘要', 'SHA-1'], sha256: ['SHA-256 摘要', 'SHA-256'],
} as const;
export const PI_WHERE = { url: ['网址', 'URL'], header: ['请求头', 'headers'], body: ['请求体', 'body'] } as const;
/** Why the screen recording has a hole, and how a segment ended, in words (Chinese, English). */
export const SCREEN_GAP = {
  restart: ['录屏重新启动', 'screenrecord restarted'], refused: ['手机拒绝录屏，改用截图', 'the phone refused screen recording; screenshots instead'],
  'secure-window': ['安全窗口（录制为黑屏）', 'a secure window (recorded black)'], 'stream-error': ['视频流出错，已重新启动', 'the video stream failed and was restarted'],
  resolution: ['分辨率变化（旋转）', 'the resolution changed (rotation)'], disconnected: ['手机断开连接', 'the phone was disconnected'],
  'write-failed': ['写入失败（磁盘已满？）', 'writing failed (disk full?)'], paused: ['会话暂停', 'the session was paused'],
} as const;
const SEGMENT_END = {
  rollover: ['分段轮换', 'rolled over'], restart: ['录屏重新启动', 'screenrecord restarted'], resolution: ['分辨率变化', 'resolution changed'],
  'session-stop': ['会话停止', 'session stopped'], disconnected: ['手机断开', 'phone disconnected'], 'stream-error': ['视频流出错', 'stream failed'],
  'write-failed': ['写入失败', 'write failed'], recovered: ['崩溃后恢复', 'recovered after a crash'],
} as const;
const SCREEN_RECORDING = { h264: ['H.264 视频', 'H.264 video'], 'png-fallback': ['截图（无视频）', 'screenshots (no video)'], off: ['已停止', 'off'] } as const;
const NET_REFUSED = {
  'not-the-phone': ['不是被测手机的地址', 'not the phone under test'], malformed: ['请求格式错误', 'malformed request'], 'headers-too-large': ['请求头过大', 'headers too large'],
  'too-many-connections': ['连接过多', 'too many connections'], 'bad-tls-hello': ['TLS 握手数据无效', 'invalid TLS client hello'], 'upstream-failed': ['无法连接目标服务器', 'could not reach the server'],
} as const;

const MARKS: Record<string, [string, string]> = {
  'consent.given': ['同意隐私政策', 'consent given'], 'consent.declined': ['拒绝隐私政策', 'consent declined'], 'policy.reached': ['打开隐私政策', 'policy reached'],
  'stage.started': ['开始检测阶段', 'stage started'], 'permission.denied-by-tester': ['检测人员拒绝权限', 'permission denied by the tester'],
  'app.backgrounded': ['应用退至后台', 'app sent to the background'], 'consent.withdrawn': ['撤回同意', 'consent withdrawn'], other: ['其他标记', 'other'],
};
const CAPTURE_KIND: Record<string, [string, string]> = {
  screenshot: ['截图', 'screenshot'], 'ui.dump': ['界面结构', 'UI dump'], 'apk.analysis': ['安装包分析', 'APK analysis'], 'install.output': ['安装输出', 'install output'],
  attachment: ['附件', 'attachment'], policy: ['隐私政策', 'privacy policy'],
};
const APP_ACTION: Record<string, [string, string]> = {
  launch: ['启动', 'launch'], 'force-stop': ['强行停止', 'force-stop'], 'clear-data': ['清除数据', 'clear data of'], uninstall: ['卸载', 'uninstall'],
  'grant-permission': ['授予权限', 'grant permission'], 'revoke-permission': ['撤销权限', 'revoke permission'], reboot: ['重启手机', 'reboot'], home: ['返回桌面', 'home'],
  'screen-off': ['关闭屏幕', 'screen off'], 'screen-on': ['点亮屏幕', 'screen on'],
};
const POLICY_SOURCE: Record<string, [string, string]> = { phone: ['手机', 'phone'], file: ['文件', 'file'], url: ['网址', 'URL'], paste: ['粘贴的文字', 'pasted text'] };
const LIST: Record<string, [string, string]> = { collected: ['已收集个人信息清单', 'Collected-PI list'], shared: ['第三方共享个人信息清单', 'Third-party sharing list'] };
const VERDICTS: Record<string, [string, string]> = { pass: ['通过', 'pass'], fail: ['不通过', 'fail'], 'not-applicable': ['不适用', 'not applicable'] };
const RUN_OUTCOMES: Record<string, [string, string]> = { done: ['完成', 'done'], skipped: ['跳过', 'skipped'], failed: ['失败', 'failed'] };

/** A pair table's words in one language (0: Chinese, 1: English), or the key as code. */
function pair(table: Record<string, readonly [string, string]>, key: unknown, lang: 0 | 1): Said {
  const found = typeof key === 'string' && Object.hasOwn(table, key) ? table[key]! : null;
  return found ? [w(found[lang])] : say`${String(key)}`;
}

/** A mark the automation sets says what it saw: "denied by the tester" would name the wrong actor. */
const WORKBENCH_MARKS: Record<string, [string, string]> = { ...MARKS, 'permission.denied-by-tester': ['拒绝权限', 'permission denied'] };
/** The workbench's steps that can fail on the phone (workbench.step-failed). */
const STEPS: Record<string, [string, string]> = {
  'policy.capture': ['从手机采集隐私政策', 'capturing the policy from the phone'], 'list-page.capture': ['从手机采集清单页面', 'capturing a list page from the phone'],
  'consent.decline': ['拒绝隐私政策', 'declining the privacy policy'], 'consent.agree': ['同意隐私政策', 'agreeing to the privacy policy'], 'permission.deny': ['拒绝权限申请', 'denying a permission request'],
};

/**
 * A mark's label in each language: a stage by its title (its id as code when the title is not at hand); the
 * workbench's own wording (`tapped "X"`, `…; at the tap #N`, ` (guest mode)`) in words with the phone's text
 * quoted; anything else quoted as written.
 */
function markLabel(mark: string, label: string, stageTitle: DescribeOptions['stageTitle']): [Said, Said] {
  if (mark === 'stage.started') {
    const title = stageTitle?.(label);
    return title ? [[w(title.zh)], [w(title.en)]] : [say`${label}`, say`${label}`];
  }
  const atTap = /^(.*?)(?:; )?at the tap #(\d+)$/.exec(label);
  const rest = atTap ? atTap[1]! : label;
  const tap = atTap ? Number(atTap[2]) : null;
  const tapped = /^tapped "([\s\S]*)"( \(guest mode\))?$/.exec(rest);
  const zh: Said = tapped ? say`点击“${q(tapped[1]!)}”${tapped[2] ? w('（游客模式）') : null}` : rest ? [q(rest)] : [];
  const en: Said = tapped ? say`tapped “${q(tapped[1]!)}”${tapped[2] ? w(' (guest mode)') : null}` : rest ? [q(rest)] : [];
  if (tap === null) return [zh, en];
  return [say`${zh}${zh.length ? w('；') : null}对应点击 #${tap}`, say`${en}${en.length ? w('; ') : null}at the tap #${tap}`];
}

/** The workbench's own taps, marks and steps: automation, never the tester (issue #26). */
const BY_WORKBENCH: [string, string] = ['工作台自动操作', 'Workbench automation'];

/** Who did it, from the event's source alone (a workbench step is never the tester's). */
function actor(source: EventSource): [string, string] {
  return source === 'tester' ? ['检测人员', 'Tester'] : source === 'workbench' ? ['工作台', 'Workbench'] : ['会话', 'Session'];
}

function inputSaid(a: InputAction, lang: 0 | 1): Said {
  switch (a.kind) {
    case 'tap': return lang ? say`tap ${a.x},${a.y}` : say`点击 ${a.x},${a.y}`;
    case 'swipe': return lang ? say`swipe ${a.x1},${a.y1} → ${a.x2},${a.y2}` : say`滑动 ${a.x1},${a.y1} → ${a.x2},${a.y2}`;
    case 'key': return lang ? say`key ${a.key}` : say`按键 ${a.key}`;
    case 'text': return lang ? say`text “${q(a.text)}”` : say`输入文字“${q(a.text)}”`;
  }
}

const noAt = (ms: number | null): string => {
  const d = ms === null ? null : new Date(ms);
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(11, 23) : '?';
};

/** A process by its name and pid, or its pid alone. */
const proc = (name: string | null, pid: number | null, lang: 0 | 1): Said =>
  name ? (pid === null ? say`${name}` : lang ? say`${name} (pid ${pid})` : say`${name}（进程号 ${pid}）`) : pid === null ? say`?` : lang ? say`pid ${pid}` : say`进程号 ${pid}`;
const uidOr = (pkg: string | null, uid: number | null, unknown: [string, string], lang: 0 | 1): Said =>
  pkg ? say`${pkg}` : uid !== null ? say`UID ${uid}` : [w(unknown[lang])];

export function describeEvent(e: TimelineEvent, o: DescribeOptions = {}): EventDescription {
  const at = o.clock ?? noAt;
  switch (e.type) {
    case 'tester.mark': {
      const [zhWho, enWho] = e.source === 'workbench' ? BY_WORKBENCH : [`${actor(e.source)[0]}标记`, `${actor(e.source)[1]} mark`];
      const marks = e.source === 'workbench' ? WORKBENCH_MARKS : MARKS;
      const label = e.label ? markLabel(e.mark, e.label, o.stageTitle) : null;
      return {
        zh: say`${w(zhWho)}：${pair(marks, e.mark, 0)}${label ? say`（${label[0]}）` : null}`,
        en: say`${w(enWho)}: ${pair(marks, e.mark, 1)}${label ? say` (${label[1]})` : null}`,
      };
    }
    case 'tester.note': return { zh: say`备注：${q(e.text)}`, en: say`Note: ${q(e.text)}` };
    case 'tester.input': {
      const [zhWho, enWho] = e.source === 'workbench' ? BY_WORKBENCH : [`${actor(e.source)[0]}操作`, `${actor(e.source)[1]} input`];
      return { zh: say`${w(zhWho)}：${inputSaid(e.action, 0)}`, en: say`${w(enWho)}: ${inputSaid(e.action, 1)}` };
    }
    case 'workbench.step-failed': {
      // The event carries its own words in both languages (what the record signed). A session folder is
      // untrusted: a line without its words still reads, its reason code standing in.
      const words = (e.message ?? {}) as Partial<{ zh: unknown; en: unknown }>;
      const said = (x: unknown): Said => (typeof x === 'string' ? [q(x)] : say`${String(e.reason)}`);
      return {
        zh: say`${w(BY_WORKBENCH[0])}未完成（${pair(STEPS, e.step, 0)}）：${typeof words.zh === 'string' ? [w(words.zh)] : said(undefined)}`,
        en: say`${w(BY_WORKBENCH[1])} failed (${pair(STEPS, e.step, 1)}): ${typeof words.en === 'string' ? [w(words.en)] : said(undefined)}`,
      };
    }
    case 'capture': return { zh: say`已采集${pair(CAPTURE_KIND, e.kind, 0)}：${e.blob.path}`, en: say`Captured ${pair(CAPTURE_KIND, e.kind, 1)}: ${e.blob.path}` };
    case 'app.installed': return e.ok
      ? { zh: say`安装成功：${e.installedPackage ?? ''}`, en: say`Installed ${e.installedPackage ?? ''}` }
      : { zh: say`安装失败：${e.failureCode ?? ''}`, en: say`Install failed: ${e.failureCode ?? ''}` };
    case 'app.action': return { zh: say`工作台操作：${pair(APP_ACTION, e.action, 0)} ${e.target}`, en: say`Workbench action: ${pair(APP_ACTION, e.action, 1)} ${e.target}` };
    case 'checklist.template': return { zh: say`检测模板：${e.templateId} ${e.version}`, en: say`Checklist template: ${e.templateId} ${e.version}` };
    case 'policy.captured': return {
      zh: say`采集隐私政策（${pair(POLICY_SOURCE, e.from, 0)}）：${e.origin}${e.pages.length ? say`，${e.pages.length} 页截图` : null}${e.problem ? say`；${q(e.problem, 'en')}` : null}`,
      en: say`Privacy policy captured (${pair(POLICY_SOURCE, e.from, 1)}): ${e.origin}${e.pages.length ? say`, ${e.pages.length} page screenshots` : null}${e.problem ? say`; ${q(e.problem, 'en')}` : null}`,
    };
    case 'policy.list-captured': return {
      zh: say`采集${pair(LIST, e.list, 0)}页面（${pair(POLICY_SOURCE, e.from, 0)}${e.tapped ? say`，点击“${q(e.tapped)}”打开` : null}）：${e.origin}；政策原文：“${q(e.reference)}”${e.pages.length ? say`，${e.pages.length} 页截图` : null}${e.problem ? say`；${q(e.problem, 'en')}` : null}`,
      en: say`${pair(LIST, e.list, 1)} page captured (${pair(POLICY_SOURCE, e.from, 1)}${e.tapped ? say`, opened by tapping “${q(e.tapped)}”` : null}): ${e.origin}; the policy says: “${q(e.reference)}”${e.pages.length ? say`, ${e.pages.length} page screenshots` : null}${e.problem ? say`; ${q(e.problem, 'en')}` : null}`,
    };
    case 'app.type': return { zh: say`应用类型：${e.typeNo} ${q(e.name)}`, en: say`App type: ${e.typeNo} ${q(e.name)}` };
    case 'checklist.verdict': return {
      zh: say`检测结论 ${e.item}：${e.verdict === null ? w('撤销') : pair(VERDICTS, e.verdict, 0)}${e.note ? say`（${q(e.note)}）` : null}`,
      en: say`Verdict ${e.item}: ${e.verdict === null ? w('withdrawn') : pair(VERDICTS, e.verdict, 1)}${e.note ? say` (${q(e.note)})` : null}`,
    };
    case 'run.stage': return {
      zh: say`自动检测阶段 ${e.stage}：${pair(RUN_OUTCOMES, e.outcome, 0)}${e.message ? say`（${q(e.message, 'en')}）` : null}`,
      en: say`Run stage ${e.stage}: ${pair(RUN_OUTCOMES, e.outcome, 1)}${e.message ? say` (${q(e.message, 'en')})` : null}`,
    };
    case 'session.started': return { zh: say`会话开始`, en: say`Session started` };
    case 'session.paused': return { zh: say`会话暂停${e.reason ? say`：${q(e.reason)}` : null}`, en: say`Session paused${e.reason ? say`: ${q(e.reason)}` : null}` };
    case 'session.resumed': return { zh: say`会话继续`, en: say`Session resumed` };
    case 'session.closed': return { zh: say`会话结束`, en: say`Session closed` };
    case 'session.recovered': return { zh: say`崩溃后恢复，截断的 ${e.tornBytes} 字节另存`, en: say`Recovered after a crash; ${e.tornBytes} torn bytes set aside` };
    case 'session.problem': return { zh: say`问题：${q(e.message, 'en')}`, en: say`Problem: ${q(e.message, 'en')}` };

    // What the phone did (the CLI's English is these lines as plain text).
    case 'permission.dialog': return { zh: say`弹出权限申请（UID ${e.uid}）`, en: say`permission dialog opened for uid ${e.uid}` };
    case 'permission.result': {
      const perm = e.permission.replace('android.permission.', '');
      const result = named(GRANT_RESULT_ZH, e.resultName);
      return { zh: say`权限申请结果 ${perm}：${result ? w(result) : e.resultName}`, en: say`${perm} → ${e.resultName}` };
    }
    case 'permission.state': {
      const perm = e.permission.replace('android.permission.', '');
      const flags = e.flags.join('|');
      return { zh: say`${perm} ${pair(PERMISSION_CHANGE, e.change, 0)} [${flags}]`, en: say`${perm} ${pair(PERMISSION_CHANGE, e.change, 1)}: granted=${String(e.granted)} [${flags}]` };
    }
    case 'process.start': return {
      zh: say`进程 ${proc(e.process, e.pid, 0)}因${e.hostingType ? word(HOSTING_ZH, e.hostingType) : w('?')} ${e.component} 启动${e.selfStart ? w('（自启动）') : null}${e.caller ? say`，由 ${e.caller} 拉起` : null}`,
      en: say`process ${proc(e.process, e.pid, 1)} started for ${e.hostingType} ${e.component}${e.selfStart ? w(' — self-start') : null}${e.caller ? say` — started by ${e.caller}` : null}`,
    };
    case 'process.death': return { zh: say`进程 ${proc(e.process, e.pid, 0)}结束${e.state ? say` ${e.state}` : null}`, en: say`process ${proc(e.process, e.pid, 1)} died${e.state ? say` ${e.state}` : null}` };
    case 'process.killed': return {
      zh: say`进程 ${proc(e.process ?? '?', e.pid, 0)}被 ${e.killer} 结束：${e.reason}`,
      en: say`process ${proc(e.process ?? '?', e.pid, 1)} killed by ${e.killer}: ${e.reason}`,
    };
    case 'app.crash': return e.crash === 'anr'
      ? { zh: say`${e.process ?? '?'} ${w(CRASH_ZH.anr)}${e.detail ? say`：${e.detail}` : null}`, en: say`${e.process ?? '?'} stopped responding (ANR)${e.detail ? say`: ${e.detail}` : null}` }
      : {
        zh: say`${proc(e.process ?? '?', e.pid, 0)}${word(CRASH_ZH, e.crash)}：${e.detail}`,
        en: say`${proc(e.process ?? '?', e.pid, 1)} crashed (${e.crash === 'java' ? w('Java exception') : w('native signal')}): ${e.detail}`,
      };
    case 'package.installed': return { zh: say`${e.installer ? say`${e.installer} ` : null}安装了 ${e.packageName ?? '?'}`, en: say`package ${e.packageName ?? '?'} installed${e.installer ? say` by ${e.installer}` : null}` };
    case 'package.removed': return { zh: say`应用 ${e.packageName ?? '?'} 已卸载`, en: say`package ${e.packageName ?? '?'} removed` };
    case 'package.updated': return { zh: say`应用 ${e.packageName ?? '?'} 被更新`, en: say`package ${e.packageName ?? '?'} updated` };
    case 'start.blocked': {
      const by = e.callerPackage && e.callerPackage !== e.target ? e.callerPackage : null;
      return {
        zh: say`${pair(BLOCKER, e.blocker, 0)}拒绝启动 ${e.component ?? e.target}${by ? say`（由 ${by} 发起）` : null}：${e.reason}`,
        en: say`start of ${e.component ?? e.target}${by ? say` by ${by}` : null} refused by ${pair(BLOCKER, e.blocker, 1)} (${e.reason})`,
      };
    }
    case 'app.displayed': return { zh: say`界面 ${e.component} 已显示${e.ms !== null ? say`（+${e.ms} 毫秒）` : null}`, en: say`${e.component} displayed${e.ms !== null ? say` (+${e.ms} ms)` : null}` };
    case 'sensitive.access': {
      return {
        zh: say`${uidOr(e.packageName, e.uid, ['未知应用', 'unknown app'], 0)} ${word(OUTCOME_ZH, e.outcome)}${pair(SENSITIVE_DATA, e.data, 0)}（${e.via}）`,
        en: say`${pair(SENSITIVE_DATA, e.data, 1)} ${word(OUTCOME_EN, e.outcome)}${e.uid !== null && !e.packageName ? say` by uid ${e.uid}` : null} (${e.via})`,
      };
    }
    case 'log.gap': {
      const g = gapSaid(e, at);
      return { zh: say`证据缺口：${g.zh}`, en: say`Gap in the evidence: ${g.en}` };
    }
    case 'identifier.access': return { zh: say`请求设备标识符：${e.method}`, en: say`device identifier requested: ${e.method}` };
    case 'appop.access': return {
      zh: say`在${word(UID_STATE_ZH, e.uidState)}状态下访问了 ${e.op}`,
      en: say`${e.op} accessed (${e.uidState})`,
    };
    case 'appop.reject': return { zh: say`${e.op} 访问被拒绝（${word(UID_STATE_ZH, e.uidState)}）`, en: say`${e.op} access rejected (${e.uidState})` };
    case 'app.foreground': return { zh: say`前台界面：${e.component}`, en: say`foreground: ${e.component}` };
    case 'intent.start': {
      const caller = uidOr(e.callerPackage, e.callerUid, ['未知调用方', 'unknown caller'], 0);
      const callerEn = e.callerPackage ? say`${e.callerPackage}` : e.callerUid === null ? [w('unknown caller')] : say`uid ${e.callerUid}`;
      return {
        zh: say`${caller} ${e.allowed === false ? w('启动被拒绝：') : w('启动了')}${pair(INTENT_KIND, e.kind, 0)} ${e.target}${e.launcher ? w('（桌面启动）') : null}${e.uidState ? say`（调用方状态 ${word(UID_STATE_ZH, e.uidState)}）` : null}`,
        en: say`${callerEn} ${e.allowed === false ? w('was refused starting') : w('started')} ${pair(INTENT_KIND, e.kind, 1)} ${e.target}${e.launcher ? w(' (launcher)') : null}${e.uidState ? say` (caller state ${e.uidState})` : null}`,
      };
    }
    case 'screen.state': return { zh: say`屏幕${e.on ? w('点亮') : w('熄灭')}`, en: say`screen ${e.on ? w('on') : w('off')}` };
    case 'device.disconnected': return { zh: say`手机已断开`, en: say`device disconnected` };
    case 'device.reconnected': return { zh: say`手机在 ${Math.round((e.gapMs ?? 0) / 1000)} 秒后重新连接`, en: say`device reconnected after ${Math.round((e.gapMs ?? 0) / 1000)} s` };
    case 'device.clock-refused': return { zh: say`手机时钟读数为 ${e.reported}，不可能正确：此后使用主机时间`, en: say`the phone's clock reads ${e.reported}, which cannot be right: host time is used instead` };
    // What left the phone through the workbench's proxy (values are shown masked, as recorded).
    case 'net.proxy': return {
      zh: say`手机代理${pair(PROXY_STATE, e.state, 0)}（${pair(PROXY_MODE, e.mode, 0)}，${e.address}${e.previous ? say`；原设置 ${e.previous}` : null}）${e.problem ? say`：${q(e.problem, 'en')}` : null}`,
      en: say`Phone proxy ${pair(PROXY_STATE, e.state, 1)} (${pair(PROXY_MODE, e.mode, 1)}, ${e.address}${e.previous ? say`; was ${e.previous}` : null})${e.problem ? say`: ${q(e.problem, 'en')}` : null}`,
    };
    case 'net.connection': {
      const app = e.app.packageName ?? (e.app.candidates.length ? e.app.candidates.join(' | ') : null);
      return {
        zh: say`${app ? say`${app} ` : w('未归属应用 ')}连接 ${e.host}:${e.port}${e.sni && e.sni !== e.host ? say`（SNI ${e.sni}）` : null}${e.tls ? (e.intercepted ? w('，TLS 已解密') : w('，TLS 未解密')) : w('，明文')}${e.sdk ? say`：${q(e.sdk.name.zh)}（${q(e.sdk.vendor)}）` : null}`,
        en: say`${app ? say`${app} ` : w('unattributed ')}connected to ${e.host}:${e.port}${e.sni && e.sni !== e.host ? say` (SNI ${e.sni})` : null}${e.tls ? (e.intercepted ? w(', TLS intercepted') : w(', TLS tunnelled')) : w(', plain')}${e.sdk ? say`: ${q(e.sdk.name.en, 'en')} (${q(e.sdk.vendor)})` : null}`,
      };
    }
    case 'net.closed': return {
      zh: say`连接 ${e.flowId} 关闭：上行 ${e.bytesUp} 字节，下行 ${e.bytesDown} 字节，${e.durationMs} 毫秒${e.error ? say`；${e.error}` : null}`,
      en: say`connection ${e.flowId} closed: ${e.bytesUp} bytes up, ${e.bytesDown} down, ${e.durationMs} ms${e.error ? say`; ${e.error}` : null}`,
    };
    case 'net.request': return {
      zh: say`请求 ${e.method} ${e.url}${e.status !== null ? say` → ${e.status}` : w(' → 无响应')}`,
      en: say`request ${e.method} ${e.url}${e.status !== null ? say` → ${e.status}` : w(' → no response')}`,
    };
    case 'pi.sent': return {
      zh: say`个人信息外发：${pair(PI_KIND, e.kind, 0)}（${pair(PI_FORM, e.form, 0)}，位于${pair(PI_WHERE, e.where, 0)}）发往 ${e.host}${e.sdk ? say`（${q(e.sdk.name.zh)}）` : null}：${e.masked}`,
      en: say`personal information sent: ${pair(PI_KIND, e.kind, 1)} (${pair(PI_FORM, e.form, 1)}, in the ${pair(PI_WHERE, e.where, 1)}) to ${e.host}${e.sdk ? say` (${q(e.sdk.name.en, 'en')})` : null}: ${e.masked}`,
    };
    case 'net.refused': return {
      zh: say`代理拒绝了 ${e.client}：${pair(NET_REFUSED, e.reason, 0)}${e.detail ? say`（${q(e.detail, 'en')}）` : null}`,
      en: say`proxy refused ${e.client}: ${pair(NET_REFUSED, e.reason, 1)}${e.detail ? say` (${q(e.detail, 'en')})` : null}`,
    };
    // The screen recording (video segments, holes, its state).
    case 'screen.segment': return {
      zh: say`录屏分段 ${e.file}：${e.frames} 帧，${Math.round((e.lastFrameHostTime - e.firstFrameHostTime) / 1000)} 秒，${e.width}×${e.height}，${e.size} 字节（${pair(SEGMENT_END, e.ended, 0)}${e.partial ? w('，不完整') : null}）SHA-256 ${e.sha256}`,
      en: say`screen recording segment ${e.file}: ${e.frames} frames, ${Math.round((e.lastFrameHostTime - e.firstFrameHostTime) / 1000)} s, ${e.width}×${e.height}, ${e.size} bytes (${pair(SEGMENT_END, e.ended, 1)}${e.partial ? w(', partial') : null}) SHA-256 ${e.sha256}`,
    };
    case 'screen.gap': return {
      zh: say`录屏中断${e.to !== null ? say` ${Math.max(0, Math.round(e.to - e.from))} 毫秒` : null}：${pair(SCREEN_GAP, e.reason, 0)}${e.detail ? say`（${q(e.detail, 'en')}）` : null}`,
      en: say`screen recording gap${e.to !== null ? say` of ${Math.max(0, Math.round(e.to - e.from))} ms` : null}: ${pair(SCREEN_GAP, e.reason, 1)}${e.detail ? say` (${q(e.detail, 'en')})` : null}`,
    };
    case 'screen.recording': return {
      zh: say`录屏：${pair(SCREEN_RECORDING, e.state, 0)}${e.width && e.height ? say`，${e.width}×${e.height}` : null}${e.reason ? say`（${q(e.reason, 'en')}）` : null}`,
      en: say`screen recording: ${pair(SCREEN_RECORDING, e.state, 1)}${e.width && e.height ? say`, ${e.width}×${e.height}` : null}${e.reason ? say` (${q(e.reason, 'en')})` : null}`,
    };
    case 'explore.started': return {
      zh: say`开始探索应用界面（最多 ${e.limits?.maxTaps ?? '?'} 次点击、深度 ${e.limits?.maxDepth ?? '?'}、${Math.round((e.limits?.maxMs ?? 0) / 60_000)} 分钟）`,
      en: say`Explorer started (at most ${e.limits?.maxTaps ?? '?'} taps, depth ${e.limits?.maxDepth ?? '?'}, ${Math.round((e.limits?.maxMs ?? 0) / 60_000)} min)`,
    };
    case 'explore.step': return describeExploreStep(e.step ?? { kind: 'problem', what: '?' });
    case 'explore.result': return describeExploreResult(e.summary ?? ({} as never));
    default: {
      // A type this build does not know (a newer session, a hand-edited file): said as its type id, never guessed.
      const unknown: never = e;
      const type = String((unknown as { type: unknown }).type);
      return { zh: say`未知事件 ${type}`, en: say`Unknown event ${type}` };
    }
  }
}

/** One language's line as plain text (the renderer's table, a toast, the CLI). */
export function describeText(e: TimelineEvent, lang: 'zh' | 'en', o: DescribeOptions = {}): string {
  return saidText(describeEvent(e, o)[lang]);
}
