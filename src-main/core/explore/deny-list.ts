/**
 * What the explorer (issue #29) never taps: controls whose label says the tap would pay, post, delete data, log
 * out, call, or leave the app for a browser, a store or an installer. A label is denied when it *is* such an action
 * — it begins with one of the verbs below and is short, as buttons are ("删除", "确认注销", "立即购买", "Log out") —
 * not when it only names a page about one ("个人信息删除", "注销账号", "支付设置"), which the explorer must be able to
 * open to find what the campaign asks for (account deletion, deleting PI). Text fields are never tapped (typing is
 * not exploring).
 *
 * After a tap, the walk also checks where it landed: a foreground activity of another package (browser, store,
 * dialer, share sheet, installer — an intent that left the app) is left with Back at once and the control that
 * opened it is denied for the rest of the walk (explorer's own record, not this list).
 */
import type { UiDumpNode } from '../../../src-preload/api.js';

export type DenyReason = Exclude<import('../../../src-preload/explore.js').DenyReason, 'toggles'>;

/** Verbs a denied label begins with, per reason, in Chinese and English (compared case-insensitively). */
export const DENIED_VERBS: Record<Exclude<DenyReason, 'types'>, string[]> = {
  pays: ['支付', '付款', '立即支付', '确认支付', '去支付', '去付款', '立即付款', '购买', '立即购买', '充值', '开通', '立即开通', '续费', '订阅', '下单', '立即下单', '结算', '去结算', '提交订单', '打赏', '退订', '取消订阅', '取消自动续费', 'pay', 'buy', 'purchase', 'subscribe', 'unsubscribe', 'checkout', 'top up', 'place order'],
  posts: ['发布', '发表', '发送', '评论', '提交', '上传', '转发', '分享到', 'post', 'send', 'publish', 'submit', 'upload', 'comment', 'share to'],
  deletes: ['删除', '清空', '清除', '一键清空', '一键删除', '全部删除', '全部清空', '批量删除', '解除绑定', '确认注销', '确定注销', '立即注销', '申请注销', '继续注销', '解绑', '移除', 'delete', 'remove', 'clear', 'erase', 'confirm deletion'],
  withdraws: ['撤回同意', '撤回授权', '确认撤回', '撤销授权', '撤销同意', '关闭授权', '取消授权', 'withdraw consent', 'revoke consent', 'revoke authorization'],
  'logs-out': ['退出登录', '退出账号', '退出当前账号', '登出', '切换账号', 'log out', 'logout', 'sign out'],
  calls: ['拨打', '呼叫', '拨号', 'call'],
  'leaves-app': ['打开浏览器', '用浏览器打开', '在浏览器中打开', '去应用市场', '去评分', '去好评', '下载', '立即下载', '安装', '立即安装', '打开app', '打开应用', 'open in browser', 'rate us', 'download', 'install'],
};

/**
 * A button's label is short: longer text that begins with a verb is a sentence or a page's title, not the action.
 * Counted in words, not digits or signs ("拨打 400-820-8820" is two characters and a number).
 */
const ACTION_MAX_ZH = 8;
const ACTION_MAX_EN_WORDS = 4;
/** Labels that end like these name a page about the action ("支付设置", "Payment settings"), which may be opened. */
const PAGE_ENDINGS = ['设置', '管理', '记录', '方式', '说明', '协议', '政策', '规则', '中心', '帮助', '详情', '历史', '列表', 'settings', 'history', 'policy', 'center', 'centre', 'help'];

/** Page endings that, after a delete verb, are its object ("清空历史", "删除记录", "Clear history"). */
const DELETED_THINGS = ['记录', '历史', '列表', 'history'];

function isChinese(text: string): boolean {
  return /[\u4e00-\u9fff]/.test(text);
}

function shortEnough(label: string): boolean {
  return isChinese(label) ? (label.match(/[\u4e00-\u9fff]/g) ?? []).length <= ACTION_MAX_ZH : label.split(/\s+/).filter((w) => /[a-z]/.test(w)).length <= ACTION_MAX_EN_WORDS;
}

/**
 * Labels denied only as the whole label: a bare verb is the action itself ("注销", "退出"), while the same word
 * begins the pages the walk must open ("注销账号", "退出设置").
 */
const DENIED_ALONE: Record<string, Exclude<DenyReason, 'types'>> = { 注销: 'deletes', 退出: 'logs-out', 撤回: 'withdraws', 'exit': 'logs-out', 'quit': 'logs-out' };

/** Why the label is an action the explorer must not take, or null. */
export function deniedLabel(text: string): Exclude<DenyReason, 'types'> | null {
  // A label longer than a sentence is no button (and an app's text is untrusted: only its start is read).
  if (text.length > 200) return null;
  const label = text.replace(/\s+/g, ' ').trim().toLowerCase();
  if (!label || !shortEnough(label)) return null;
  if (Object.hasOwn(DENIED_ALONE, label)) return DENIED_ALONE[label]!;
  const page = PAGE_ENDINGS.find((e) => label.endsWith(e));
  for (const [reason, verbs] of Object.entries(DENIED_VERBS) as Array<[Exclude<DenyReason, 'types'>, string[]]>) {
    // A page about the action may be opened — except that what a delete verb ends on (records, history, a list) is
    // what it deletes: "删除全部记录" is the action, and guessing wrong there loses the tester's data.
    if (page && !(reason === 'deletes' && DELETED_THINGS.includes(page))) continue;
    // English verbs end at a word boundary ("post" is not "poster"); Chinese ones are prefixes.
    if (verbs.some((v) => label === v || (label.startsWith(v) && (isChinese(v) || !/[a-z]/.test(label[v.length] ?? ''))))) return reason;
  }
  return null;
}

/** Why a node must not be tapped, or null: its own label, its description, or a text field. */
export function deniedControl(node: Pick<UiDumpNode, 'text' | 'contentDesc' | 'className'>): DenyReason | null {
  if (/EditText$/.test(node.className)) return 'types';
  return deniedLabel(node.text) ?? deniedLabel(node.contentDesc);
}
