/**
 * Evaluators that compare the privacy policy with the app (src-main/core/policy): third-party SDKs not named
 * in the policy (164-3.1) — found in the APK, started at run time, or whose servers the app contacted — and the
 * phone's own values sent to a third party the policy does not name (164-3.1: a violation by itself), personal information beyond the app type's necessary PI (164-2.3, 14号文), the two
 * lists of 292号 and their fields (191-1.4), and purposes stated per kind of information (191-2.1).
 */
import { z } from 'zod';
import type { ComparisonEvidence, PolicyComparison } from '../../../../src-preload/policy.js';
import { PI_FORM, PI_KIND } from '../../../../src-preload/event-description.js';
import type { PiSent } from '../network-facts.js';
import { sessionComparison } from '../../policy/session-comparison.js';
import type { TimelineFacts } from '../timeline-facts.js';
import { defineEvaluator, insufficient, listOf, needsTester, noneObserved, violation } from './proposal.js';

const NO_POLICY = ['本会话没有隐私政策文本：请在“隐私政策”面板从手机采集，或载入文件/网址。', 'The session holds no privacy policy text: capture it from the phone, or load a file or URL, on the Policy panel.'] as const;

function base(f: TimelineFacts): number[] {
  const { policy, analysis, appType } = f.policyInputs;
  return [policy?.seq, analysis?.seq, appType?.seq].filter((s): s is number => s !== undefined);
}

function seqs(f: TimelineFacts, evidence: ComparisonEvidence[]): number[] {
  return [...base(f), ...evidence.flatMap((e) => e.timeline)];
}

/**
 * Where the phone's values went, against the policy. To an SDK: named when its row is declared (by the SDK's
 * name, by its company receiving data, or as the operator's own), or when the policy names its company as a third
 * party receiving data (company-roles.ts); else not named. To a host of unknown owner: for the tester. To the
 * app's own domain: not a third party.
 */
function piRecipients(f: TimelineFacts, c: PolicyComparison): { unnamed: PiSent[]; unknown: PiSent[] } {
  const companies = f.policyInputs.policy?.reading.companies ?? [];
  const sent = f.network().piSent.filter((p) => p.whose === 'uid');
  const named = (p: PiSent): boolean => {
    const row = c.rows.find((r) => r.kind === 'sdk' && r.key === p.sdk!.id);
    return row?.status === 'declared-observed' || companies.some((co) => co.role === 'third-party' && co.vendor === p.sdk!.vendor);
  };
  return { unnamed: sent.filter((p) => p.party === 'sdk' && !named(p)), unknown: sent.filter((p) => p.party === 'unknown') };
}

function sentWords(list: PiSent[]): { zh: string; en: string } {
  return {
    zh: listOf(list.map((p) => `${(PI_KIND[p.kind] ?? [p.kind])[0]}（${(PI_FORM[p.form] ?? [p.form])[0]}）→ ${p.host}${p.sdk ? `（${p.sdk.name.zh}，${p.sdk.vendor}）` : ''}`), 4),
    en: listOf(list.map((p) => `${(PI_KIND[p.kind] ?? [p.kind, p.kind])[1]} (${(PI_FORM[p.form] ?? [p.form, p.form])[1]}) → ${p.host}${p.sdk ? ` (${p.sdk.name.en}, ${p.sdk.vendor})` : ''}`), 4),
  };
}

const sentSeqs = (list: PiSent[]): number[] => list.flatMap((p) => [p.seq, ...(p.connection ? [p.connection] : [])]);

export const policySdks = defineEvaluator({
  name: 'policy-sdks',
  summary: { zh: '检出（静态或运行时）的第三方 SDK 是否在隐私政策中写明', en: 'Whether the third-party SDKs found (in the APK or at run time) are named in the privacy policy' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    if (!f.policyInputs.policy) return insufficient(...NO_POLICY);
    const c = sessionComparison(f);
    const sent = piRecipients(f, c);
    if (sent.unnamed.length) {
      const w = sentWords(sent.unnamed);
      return violation([...base(f), ...sentSeqs(sent.unnamed)],
        `手机的个人信息被发送给隐私政策未写明的第三方：${w.zh}。`,
        `The phone's personal information was sent to third parties the privacy policy does not name: ${w.en}.`);
    }
    const sdkRows = c.rows.filter((r) => r.kind === 'sdk' && r.status !== 'declared-unobserved');
    if (!f.policyInputs.analysis && !sdkRows.length) return insufficient('本会话没有 APK 静态分析，运行时也未见第三方 SDK：请在“应用”页分析 APK 后再对照。', 'The session has no APK analysis and no SDK was seen at run time: analyse the APK on the App page, then compare.', base(f));
    // An SDK the policy says it does not use, found in the app, is as undeclared as one it never names.
    const undeclared = sdkRows.filter((r) => r.status === 'observed-undeclared' || r.status === 'observed-denied');
    if (undeclared.length) {
      return violation(seqs(f, undeclared.map((r) => r.evidence)),
        `隐私政策未写明 ${undeclared.length} 个检出的第三方 SDK：${listOf(undeclared.map((r) => r.label.zh))}。`,
        `The privacy policy does not name ${undeclared.length} third-party SDK(s) found in the app: ${listOf(undeclared.map((r) => r.label.en))}.`);
    }
    if (sent.unknown.length) {
      const w = sentWords(sent.unknown);
      return needsTester([...base(f), ...sentSeqs(sent.unknown)],
        `手机的个人信息被发送到不在 SDK 域名表中的主机：${w.zh}；请判断接收方是否为运营者本身或政策写明的第三方。`,
        `The phone's personal information was sent to hosts not in the SDK host table: ${w.en}; judge whether the receiver is the operator itself or a third party the policy names.`);
    }
    const viaVendor = new Set(f.policyInputs.policy.reading.sdks.filter((s) => s.via === 'vendor').map((s) => s.id));
    const byVendor = sdkRows.filter((r) => r.status === 'declared-observed' && viaVendor.has(r.key));
    if (byVendor.length) {
      return needsTester(seqs(f, byVendor.map((r) => r.evidence)),
        `以下 SDK 在政策中只写了公司名称：${listOf(byVendor.map((r) => r.label.zh))}；请确认其目的与收集的信息已说明。`,
        `The policy names only the company of: ${listOf(byVendor.map((r) => r.label.en))}; check that their purpose and the data they collect are stated.`);
    }
    return noneObserved(`检出的 ${sdkRows.length} 个第三方 SDK 均在政策中写明。`, `All ${sdkRows.length} third-party SDK(s) found are named in the policy.`, base(f));
  },
});

export const necessaryPi = defineEvaluator({
  name: 'necessary-pi',
  summary: { zh: '申请或访问的个人信息是否超出应用类型的必要个人信息范围（国信办秘字〔2021〕14号）', en: "Whether the personal information requested or accessed goes beyond the app type's necessary personal information (CAC 14/2021)" },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const type = f.policyInputs.appType?.type;
    if (!type) return insufficient('尚未选择应用类型：请在“隐私政策”面板选择（39 类之一）。', 'No app type chosen yet: pick one of the 39 types on the Policy panel.');
    const c = sessionComparison(f);
    if (!f.policyInputs.analysis && !c.observed.pi.length) return insufficient('既没有 APK 静态分析，也没有运行时的个人信息访问记录。', 'There is neither an APK analysis nor any personal-information access at run time.', base(f));
    const beyond = c.rows.filter((r) => r.beyondNecessary);
    const verify = type.toVerify ? '（该类型条文仅一处来源，请核对原文）' : '';
    const verifyEn = type.toVerify ? ' (this type\'s entry has one source only: check the original)' : '';
    if (!beyond.length) return noneObserved(`未见超出“${type.name.zh}”必要个人信息范围的申请或访问${verify}。`, `Nothing requested or accessed beyond the necessary PI of a ${type.name.en} app${verifyEn}.`, base(f));
    const accessed = beyond.filter((r) => r.observedBy.includes('runtime'));
    const zh = `超出“${type.name.zh}”必要个人信息范围：${listOf(beyond.map((r) => r.label.zh))}${verify}。`;
    const en = `Beyond the necessary PI of a ${type.name.en} app: ${listOf(beyond.map((r) => r.label.en))}${verifyEn}.`;
    if (accessed.length) return violation(seqs(f, beyond.map((r) => r.evidence)), `${zh}运行时已访问或申请：${listOf(accessed.map((r) => r.label.zh))}。`, `${en} Accessed or requested at run time: ${listOf(accessed.map((r) => r.label.en))}.`);
    return needsTester(seqs(f, beyond.map((r) => r.evidence)), `${zh}仅在安装包中声明，请判断是否为扩展功能且单独征得同意。`, `${en} Declared in the APK only: decide whether an extended feature asks for it with separate consent.`);
  },
});

const FIELD_NAMES: Record<string, [string, string]> = {
  type: ['信息种类', 'type'], purpose: ['使用目的', 'purpose'], scenario: ['使用场景', 'scenario'], method: ['共享方式', 'sharing method'],
};

export const policyTwoLists = defineEvaluator({
  name: 'policy-two-lists',
  summary: { zh: '隐私政策是否有已收集个人信息清单与第三方共享清单及其字段（工信部信管函〔2021〕292号）', en: 'Whether the policy has the collected-PI list and the third-party sharing list with their fields (MIIT 292/2021)' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const p = f.policyInputs.policy;
    if (!p) return insufficient(...NO_POLICY);
    const lists = p.reading.twoLists;
    // The list pages read with the policy are part of the evidence for what the lists hold.
    const ev = [p.seq, ...(p.listPages ?? []).map((l) => l.seq)];
    const missing: Array<[string, string]> = [];
    const referenced: Array<[string, string]> = [];
    for (const [key, zh, en] of [['collected', '已收集个人信息清单', 'collected-PI list'], ['shared', '第三方共享个人信息清单', 'third-party sharing list']] as const) {
      const l = lists[key];
      if (l.referencedOnly) referenced.push([zh, en]);
      else if (!l.present) missing.push([zh, en]);
    }
    const fields = [...Object.entries(lists.collected.present ? lists.collected.fields : {}).filter(([, v]) => v === false).map(([k]) => ['已收集清单', 'collected list', k] as const),
      ...Object.entries(lists.shared.present ? lists.shared.fields : {}).filter(([, v]) => v === false).map(([k]) => ['共享清单', 'sharing list', k] as const)];
    if (missing.length || fields.length) {
      const parts = [...missing.map(([zh]) => `缺少${zh}`), ...fields.map(([l, , k]) => `${l}缺少“${FIELD_NAMES[k]![0]}”`)];
      const partsEn = [...missing.map(([, en]) => `no ${en}`), ...fields.map(([, l, k]) => `the ${l} has no ${FIELD_NAMES[k]![1]}`)];
      const also = referenced.length ? [`另有${referenced.map(([zh]) => zh).join('、')}仅被引用，请采集其页面`, `; the ${referenced.map(([, en]) => en).join(' and ')} is only referenced: capture that page`] : ['', ''];
      return violation(ev, `${parts.join('；')}${also[0]}。`, `${partsEn.join('; ')}${also[1]}.`);
    }
    if (referenced.length) {
      return needsTester(ev, `政策只引用了${referenced.map(([zh]) => zh).join('、')}（通常在 App 二级菜单中）：请打开并采集该页面后再判断。`, `The policy only points to the ${referenced.map(([, en]) => en).join(' and ')} (usually in the app's second-level menu): open and capture that page, then decide.`);
    }
    return noneObserved(`两个清单均在政策中，字段齐全（${lists.collected.form === 'table' ? '表格' : '文字'}）。`, `Both lists are in the policy with all their fields (${lists.collected.form ?? 'text'}).`, ev);
  },
});

export const policyPurposes = defineEvaluator({
  name: 'policy-purposes',
  summary: { zh: '隐私政策是否对所声明的每类个人信息说明了使用目的', en: 'Whether the policy states a purpose for each kind of personal information it declares' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const p = f.policyInputs.policy;
    if (!p) return insufficient(...NO_POLICY);
    const c = sessionComparison(f);
    const declared = p.reading.pi.filter((x) => x.declared);
    if (!declared.length) return needsTester([p.seq], '政策中未识别出任何声明收集的个人信息类型，请人工阅读。', 'No declared kind of personal information was recognised in the policy: read it yourself.');
    const without = p.reading.pi.filter((x) => c.withoutPurpose.includes(x.category));
    if (without.length) {
      return needsTester([p.seq], `以下个人信息未见同句或同表说明目的：${listOf(without.map((x) => x.label.zh))}；请核对是否按业务功能逐项说明。`, `No purpose is stated beside: ${listOf(without.map((x) => x.label.en))}; check that purposes are given per feature.`);
    }
    return noneObserved(`所声明的 ${declared.length} 类个人信息均说明了目的。`, `A purpose is stated for all ${declared.length} declared kinds of personal information.`, [p.seq]);
  },
});
