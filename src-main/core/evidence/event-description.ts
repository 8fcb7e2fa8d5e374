/** One line per timeline event in Chinese and English, for the report (the CLI's English reuses summarize). */
import type { MonitorEvent, SensitiveData, TimelineEvent } from '../../../src-preload/monitor-events.js';
import { summarize } from '../monitor/summary.js';
import { gapText } from '../monitor/gap-text.js';
import { time } from './event-time.js';

const SENSITIVE_DATA_ZH: Record<SensitiveData, string> = {
  clipboard: '剪贴板', 'wifi-info': 'Wi-Fi 连接信息', 'cell-info': '基站信息（位置）', 'running-apps': '正在运行的应用列表',
  'foreground-app': '前台应用（运行中的任务）', oaid: '广告标识符 / OAID',
};
const OUTCOME_ZH = { allowed: '读取了', denied: '被拒绝读取', limited: '被限制读取（仅得到自身）', unknown: '查询了' } as const;
const CRASH_ZH = { java: 'Java 异常崩溃', native: '原生信号崩溃', anr: '应用无响应（ANR）' } as const;
const BLOCKER_ZH = { android: 'Android 系统', miui: 'MIUI 自启动管理', coloros: 'ColorOS 启动管理', emui: '华为 iAware 启动管控' } as const;

const MARKS: Record<string, string> = {
  'consent.given': '同意隐私政策', 'consent.declined': '拒绝隐私政策', 'policy.reached': '打开隐私政策', 'stage.started': '开始检测阶段',
  'permission.denied-by-tester': '检测人员拒绝权限', 'app.backgrounded': '应用退至后台', 'consent.withdrawn': '撤回同意', other: '标记',
};

const SOURCE_ZH = { phone: '手机', file: '文件', url: '网址', paste: '粘贴的文字' } as const;
const LIST_ZH = { collected: '已收集个人信息清单', shared: '第三方共享个人信息清单' } as const;
const LIST_EN = { collected: 'collected-PI list', shared: 'third-party sharing list' } as const;

/** A name from a table by a key read from a session folder (untrusted: "__proto__" is a key like any other). */
function named(table: Record<string, string>, key: unknown): string {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key]! : String(key);
}

const VERDICTS = { pass: '通过', fail: '不通过', 'not-applicable': '不适用' } as const;
const RUN_OUTCOMES = { done: '完成', skipped: '跳过', failed: '失败' } as const;

function inputText(a: Extract<TimelineEvent, { type: 'tester.input' }>['action']): { zh: string; en: string } {
  switch (a.kind) {
    case 'tap': return { zh: `点击 ${a.x},${a.y}`, en: `tap ${a.x},${a.y}` };
    case 'swipe': return { zh: `滑动 ${a.x1},${a.y1} → ${a.x2},${a.y2}`, en: `swipe ${a.x1},${a.y1} → ${a.x2},${a.y2}` };
    case 'key': return { zh: `按键 ${a.key}`, en: `key ${a.key}` };
    case 'text': return { zh: `输入文字“${a.text}”`, en: `text "${a.text}"` };
  }
}

/**
 * Who did it, from the event's `source` alone: the workbench's automation or the tester. Marks and inputs
 * from before this distinction was worded carry the same field, so old sessions read the same way.
 */
const ACTOR = {
  workbench: { zh: '工作台自动操作', en: 'Workbench automation' },
  tester: { mark: { zh: '检测人员标记', en: 'Tester mark' }, input: { zh: '检测人员操作', en: 'Tester input' } },
} as const;
/** A mark the automation sets says what it saw; "denied by the tester" would name the wrong actor. */
const WORKBENCH_MARKS: Record<string, string> = { ...MARKS, 'permission.denied-by-tester': '拒绝权限' };
const STEPS_ZH: Record<string, string> = {
  'policy.capture': '从手机采集隐私政策', 'list-page.capture': '从手机采集清单页面', 'consent.decline': '拒绝隐私政策',
  'consent.agree': '同意隐私政策', 'permission.deny': '拒绝权限申请',
};

/** A mark's label in Chinese where the workbench wrote it (`tapped "X"`, `; at the tap #N`); anything else as written. */
function labelZh(label: string): string {
  return label.replace(/^tapped "([\s\S]*)"$/, '点击“$1”').replace(/^(.*?)(?:; )?at the tap #(\d+)$/, (_m, rest: string, seq: string) => `${rest ? `${rest}；` : ''}对应点击 #${seq}`);
}

function markText(e: Extract<TimelineEvent, { type: 'tester.mark' }>): { zh: string; en: string } {
  const auto = e.source === 'workbench';
  const name = named(auto ? WORKBENCH_MARKS : MARKS, e.mark);
  const who = auto ? ACTOR.workbench : ACTOR.tester.mark;
  return { zh: `${who.zh}：${name}${e.label ? `（${labelZh(e.label)}）` : ''}`, en: `${who.en}: ${e.mark}${e.label ? ` (${e.label})` : ''}` };
}

export function describeEvent(e: TimelineEvent): { zh: string; en: string } {
  switch (e.type) {
    case 'tester.mark': return markText(e);
    case 'tester.note': return { zh: `备注：${e.text}`, en: `Note: ${e.text}` };
    case 'tester.input': {
      const who = e.source === 'workbench' ? ACTOR.workbench : ACTOR.tester.input;
      const what = inputText(e.action);
      return { zh: `${who.zh}：${what.zh}`, en: `${who.en}: ${what.en}` };
    }
    case 'workbench.step-failed': {
      // A session folder is untrusted: words missing from a line are shown as missing, never crash the report.
      const words = (e.message ?? {}) as Partial<{ zh: unknown; en: unknown }>;
      return {
        zh: `${ACTOR.workbench.zh}未完成（${named(STEPS_ZH, e.step)}）：${String(words.zh ?? e.reason)}`,
        en: `${ACTOR.workbench.en} failed (${String(e.step)}): ${String(words.en ?? e.reason)}`,
      };
    }
    case 'capture': return { zh: `采集 ${e.kind}：${e.blob.path}`, en: `Captured ${e.kind}: ${e.blob.path}` };
    case 'app.installed': return e.ok
      ? { zh: `安装成功：${e.installedPackage ?? ''}`, en: `Installed ${e.installedPackage ?? ''}` }
      : { zh: `安装失败：${e.failureCode ?? ''}`, en: `Install failed: ${e.failureCode ?? ''}` };
    case 'app.action': return { zh: `工作台操作：${e.action} ${e.target}`, en: `Workbench action: ${e.action} ${e.target}` };
    case 'checklist.template': return { zh: `检测模板：${e.templateId} ${e.version}`, en: `Checklist template: ${e.templateId} ${e.version}` };
    case 'policy.captured': return { zh: `采集隐私政策（${named(SOURCE_ZH, e.from)}）：${e.origin}${e.pages.length ? `，${e.pages.length} 页截图` : ''}${e.problem ? `；${e.problem}` : ''}`, en: `Privacy policy captured (${e.from}): ${e.origin}${e.pages.length ? `, ${e.pages.length} page screenshots` : ''}${e.problem ? `; ${e.problem}` : ''}` };
    case 'policy.list-captured': {
      // A session folder is untrusted: an unknown list or source is shown as written, never looked up blindly.
      const listEn = named(LIST_EN, e.list);
      return {
      zh: `采集${named(LIST_ZH, e.list)}页面（${named(SOURCE_ZH, e.from)}${e.tapped ? `，点击“${e.tapped}”打开` : ''}）：${e.origin}；政策原文：“${e.reference}”${e.pages.length ? `，${e.pages.length} 页截图` : ''}${e.problem ? `；${e.problem}` : ''}`,
      en: `${listEn.charAt(0).toUpperCase()}${listEn.slice(1)} page captured (${e.from}${e.tapped ? `, opened by tapping "${e.tapped}"` : ''}): ${e.origin}; the policy says: "${e.reference}"${e.pages.length ? `, ${e.pages.length} page screenshots` : ''}${e.problem ? `; ${e.problem}` : ''}`,
      };
    }
    case 'app.type': return { zh: `应用类型：${e.name}`, en: `App type: ${e.typeNo} ${e.name}` };
    case 'checklist.verdict': return { zh: `检测结论 ${e.item}：${e.verdict === null ? '撤销' : VERDICTS[e.verdict]}${e.note ? `（${e.note}）` : ''}`, en: `Verdict ${e.item}: ${e.verdict ?? 'withdrawn'}${e.note ? ` (${e.note})` : ''}` };
    case 'run.stage': return { zh: `自动检测阶段 ${e.stage}：${RUN_OUTCOMES[e.outcome]}${e.message ? `（${e.message}）` : ''}`, en: `Run stage ${e.stage}: ${e.outcome}${e.message ? ` (${e.message})` : ''}` };
    case 'session.started': return { zh: '会话开始', en: 'Session started' };
    case 'session.paused': return { zh: `会话暂停${e.reason ? `：${e.reason}` : ''}`, en: `Session paused${e.reason ? `: ${e.reason}` : ''}` };
    case 'session.resumed': return { zh: '会话继续', en: 'Session resumed' };
    case 'session.closed': return { zh: '会话结束', en: 'Session closed' };
    case 'session.recovered': return { zh: `崩溃后恢复，截断的 ${e.tornBytes} 字节另存`, en: `Recovered after a crash; ${e.tornBytes} torn bytes set aside` };
    case 'session.problem': return { zh: `问题：${e.message}`, en: `Problem: ${e.message}` };
    case 'device.clock-refused': return { zh: `手机时钟读数为 ${e.reported}，不可能正确：此后使用主机时间`, en: `The phone's clock reads ${e.reported}, which cannot be right: host time is used instead` };
    case 'process.killed': return { zh: `进程 ${e.process ?? '?'}（pid ${e.pid}）被 ${e.killer} 结束：${e.reason}`, en: summarize(e) };
    case 'app.crash': return { zh: e.crash === 'anr' ? `${e.process ?? '?'} 无响应（ANR）${e.detail ? `：${e.detail}` : ''}` : `${e.process ?? '?'}${e.pid !== null ? `（pid ${e.pid}）` : ''}${CRASH_ZH[e.crash]}：${e.detail}`, en: summarize(e) };
    case 'package.updated': return { zh: `应用 ${e.packageName ?? ''} 被更新`, en: summarize(e) };
    case 'start.blocked': return { zh: `${BLOCKER_ZH[e.blocker]}拒绝启动 ${e.component ?? e.target}${e.callerPackage && e.callerPackage !== e.target ? `（由 ${e.callerPackage} 发起）` : ''}：${e.reason}`, en: summarize(e) };
    case 'app.displayed': return { zh: `界面 ${e.component} 已显示${e.ms !== null ? `（+${e.ms} 毫秒）` : ''}`, en: summarize(e) };
    case 'sensitive.access': return { zh: `${e.packageName ?? (e.uid !== null ? `uid ${e.uid}` : '未知应用')} ${OUTCOME_ZH[e.outcome]}${SENSITIVE_DATA_ZH[e.data]}（${e.via}）`, en: summarize(e) };
    case 'log.gap': {
      const g = gapText(e, time);
      return { zh: `证据缺口：${g.zh}`, en: `Gap in the evidence: ${g.en}` };
    }
    case 'process.start': return { zh: `进程 ${e.process}（pid ${e.pid}）因 ${e.hostingType || '?'} ${e.component} 启动${e.selfStart ? '（自启动）' : ''}${e.caller ? `，由 ${e.caller} 拉起` : ''}`, en: summarize(e) };
    case 'process.death': return { zh: `进程 ${e.process}（pid ${e.pid}）结束 ${e.state}`.trim(), en: summarize(e) };
    case 'identifier.access': return { zh: `请求设备标识符：${e.method}`, en: summarize(e) };
    case 'intent.start': return { zh: `${e.callerPackage ?? (e.callerUid === null ? '未知调用方' : `uid ${e.callerUid}`)}${e.allowed === false ? '启动被拒绝：' : '启动了'} ${e.kind} ${e.target}${e.launcher ? '（桌面启动）' : ''}`, en: summarize(e) };
    default: {
      const en = summarize(e as MonitorEvent);
      return { zh: en, en };
    }
  }
}
