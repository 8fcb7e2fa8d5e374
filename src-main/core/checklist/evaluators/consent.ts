/**
 * Consent evaluators (164-1.1, 1.2, 1.3, 1.8): what the app collects or asks for before the privacy dialog is
 * answered, after it was declined, and after a permission or consent was withdrawn. An app-op reject or a
 * refused identifier read counts: the app tried to collect. Before consent and after a decline, what the app
 * sent through the workbench's proxy counts too (network-traffic.ts): the phone's own values found in it are
 * collection; SDK servers or hosts of unknown owner reached with nothing readable found are for the tester.
 */
import { z } from 'zod';
import type { Span, TimelineFacts } from '../timeline-facts.js';
import { trafficIn, trafficSeqs, withTraffic } from './network-traffic.js';
import { defineEvaluator, insufficient, listOf, needsTester, noneObserved, violation, type Outcome } from './proposal.js';

/**
 * Accesses (and requests) seen in a window, joined with the window's traffic: a value sent is a violation like
 * an access; an SDK or unknown host reached, with nothing else, needs the tester; nothing at all is "none
 * observed", saying whether the network was recorded.
 */
function judgeWindow(f: TimelineFacts, spans: Span[], hits: Array<{ seq: number; what: string; whatZh?: string }>, words: { found: [string, string]; contacted: [string, string]; none: [string, string] }): Outcome {
  const t = trafficIn(f, spans);
  const net = trafficSeqs(t);
  if (hits.length || t.pi.length) {
    const zh = hits.length ? `${words.found[0]}${listOf(hits.map(inChinese))}。` : '';
    const en = hits.length ? `${words.found[1]}${listOf(hits.map((h) => h.what))}.` : '';
    const said = withTraffic({ zh, en }, t);
    return violation([...hits.map((h) => h.seq), ...net], said.zh, said.en.trim());
  }
  if (t.sdk.length || t.unknown.length || t.possiblePi.length || t.refused.length) {
    const said = withTraffic({ zh: words.contacted[0], en: words.contacted[1] }, t);
    return needsTester(net, said.zh, said.en);
  }
  const said = withTraffic({ zh: words.none[0], en: words.none[1] }, t);
  return noneObserved(said.zh, said.en, spans.map((s) => s.openSeq));
}

export const preConsentAccess = defineEvaluator({
  name: 'pre-consent-access',
  readsLog: true,
  observes: 'any',
  summary: { zh: '首次启动至隐私政策弹窗被回答（同意或拒绝）之间，应用的敏感访问（含被拒绝的尝试）。', en: 'Sensitive accesses (attempts included) from first launch until the privacy dialog is answered either way.' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    if (!f.preConsent.length) return insufficient('会话中没有首次启动（清除数据后启动）的记录。', 'The session has no first launch (a launch after clearing data).');
    const hits = f.sensitiveAccesses().filter((a) => f.within(f.preConsent, a.t));
    return judgeWindow(f, f.preConsent, hits, {
      found: ['在隐私政策弹窗被回答前，应用访问了：', 'Before the privacy dialog was answered the app accessed: '],
      contacted: ['隐私政策弹窗被回答前未观察到敏感访问，但有网络连接或连接尝试：请判断应用的 SDK 是否在同意前已初始化并收集信息。', 'No sensitive access was observed before the privacy dialog was answered, but there were connections or attempts: judge whether the app\'s SDKs started and collected before consent.'],
      none: ['同意隐私政策前未观察到敏感访问。', 'No sensitive access was observed before the privacy dialog was answered.'],
    });
  },
});

export const preConsentRequest = defineEvaluator({
  name: 'pre-consent-permission-request',
  readsLog: true,
  observes: 'any',
  summary: { zh: '隐私政策弹窗被回答之前出现的权限申请弹窗。', en: 'Permission dialogs shown before the privacy dialog is answered.' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    if (!f.preConsent.length) return insufficient('会话中没有首次启动的记录。', 'The session has no first launch.');
    const hits = requests(f).filter((r) => f.within(f.preConsent, r.t));
    if (!hits.length) return noneObserved('同意隐私政策前未出现权限申请。', 'No permission was requested before the privacy dialog was answered.');
    return violation(hits.map((h) => h.seq), `同意隐私政策前申请了权限：${listOf(hits.map(inChinese))}。`, `Permissions were requested before consent: ${listOf(hits.map((h) => h.what))}.`);
  },
});

export const afterDecline = defineEvaluator({
  name: 'after-decline',
  readsLog: true,
  observes: 'any',
  summary: { zh: '用户拒绝隐私政策后（游客/浏览模式）的敏感访问和权限申请。', en: 'Sensitive accesses and permission requests after the privacy policy was declined (guest mode).' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    if (!f.afterDecline.length) return insufficient('本会话未测试拒绝路径（没有“拒绝”标记）。', 'The decline path was not tested in this session (no "declined" mark).');
    const hits = [...f.sensitiveAccesses(), ...requests(f)].filter((a) => f.within(f.afterDecline, a.t));
    return judgeWindow(f, f.afterDecline, hits, {
      found: ['拒绝隐私政策后应用仍然：', 'After the policy was declined the app still: '],
      contacted: ['拒绝隐私政策后未观察到收集或权限申请，但有网络连接或连接尝试：请判断应用的 SDK 是否仍在收集信息。', 'Nothing was collected or requested after the policy was declined, but there were connections or attempts: judge whether the app\'s SDKs still collect.'],
      none: ['拒绝隐私政策后未观察到收集或权限申请。', 'Nothing was collected or requested after the policy was declined.'],
    });
  },
});

export const afterRevoke = defineEvaluator({
  name: 'after-revoke',
  readsLog: true,
  observes: 'any',
  summary: { zh: '撤回权限或撤回同意后，应用对相应数据的访问（含被拒绝的尝试）。', en: 'Accesses (attempts included) to the data of a permission after it was revoked, or to anything after consent was withdrawn.' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const revokes: Array<{ seq: number; t: number; permission: string | null }> = [
      ...f.appEvents('permission.state').filter((p) => p.event.change === 'revoked').map((p) => ({ seq: p.seq, t: p.t, permission: p.event.permission })),
      ...f.events('app.action').filter((a) => a.event.action === 'revoke-permission' && a.event.target.startsWith(f.packageName + ' ')).map((a) => ({ seq: a.seq, t: a.t, permission: a.event.target.split(' ')[1] ?? null })),
      ...f.events('tester.mark').filter((m) => m.event.mark === 'consent.withdrawn').map((m) => ({ seq: m.seq, t: m.t, permission: null })),
    ];
    if (!revokes.length) return insufficient('本会话中没有撤回权限或撤回同意。', 'Nothing was revoked or withdrawn in this session.');
    const regrants = f.appEvents('permission.state').filter((p) => p.event.change === 'granted');
    const hits = f.sensitiveAccesses().filter((a) => revokes.some((r) => {
      if (a.t <= r.t) return false;
      if (r.permission === null) return true;
      if (regrants.some((g) => g.event.permission === r.permission && g.t > r.t && g.t < a.t)) return false;
      return f.permissionsOf(a.what).includes(r.permission);
    }));
    if (!hits.length) return noneObserved('撤回后未观察到对相应数据的访问。', 'No access to the revoked data was observed afterwards.', revokes.map((r) => r.seq));
    return violation([...revokes.map((r) => r.seq), ...hits.map((h) => h.seq)], `撤回后应用仍尝试访问：${listOf(hits.map((h) => h.what))}。`, `After the revocation the app still tried to access: ${listOf(hits.map((h) => h.what))}.`);
  },
});

/**
 * Permission requests the app made, at the time each was made: the dialogs for its uid, and answers the user
 * gave whose dialog was not seen (an answer shows a dialog was there). An answer to a dialog opened earlier is
 * that dialog's, not a new request: denying a dialog opened before consent is not a request after a decline.
 */
export function requests(f: import('../timeline-facts.js').TimelineFacts): Array<{ seq: number; t: number; what: string; whatZh?: string }> {
  // A dialog no answer named: its words in each language (a permission's name is the same in both).
  const dialogs: Array<{ seq: number; t: number; what: string; whatZh?: string }> = f.appEvents('permission.dialog').map((d) => ({ seq: d.seq, t: d.t, what: 'permission dialog', whatZh: '权限申请弹窗' }));
  const answers = f.appEvents('permission.result').filter((r) => r.event.resultName.startsWith('USER_'));
  const out = [...dialogs];
  let d = 0;
  let lastDialog: number | null = null;
  for (const a of answers) {
    while (d < dialogs.length && dialogs[d]!.t <= a.t + 50) lastDialog = d++;
    const permission = a.event.permission.replace('android.permission.', '');
    if (lastDialog !== null && a.t - dialogs[lastDialog]!.t < DIALOG_ANSWER_MS) {
      // One dialog can hold several permissions of a group: they all answer it.
      out[lastDialog] = { seq: out[lastDialog]!.seq, t: out[lastDialog]!.t, what: permission };
    } else out.push({ seq: a.seq, t: a.t, what: permission });
  }
  return out;
}

/** An answer this long after a dialog opened is still that dialog's (a tester may read it first). */
const DIALOG_ANSWER_MS = 5 * 60_000;

/** What a request or access was, for a Chinese sentence: its Chinese words where it has them. */
export function inChinese(h: { what: string; whatZh?: string }): string {
  return h.whatZh ?? h.what;
}
